package io.kmswatch.streams;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A {@code detect} process for {@link DetectAppIT}: runs one {@link DetectApp} until its stdin closes or
 * it is killed. Prints {@code RUNNING} once it processes.
 * Arguments: bootstrap servers, application id, topic prefix, state dir.
 */
public final class DetectAppMain {
    private DetectAppMain() {
    }

    public static void main(String[] args) throws Exception {
        StreamsSettings settings = DetectAppIT.settings(args[0], args[1], args[2], Path.of(args[3]));
        try (DetectApp app = new DetectApp(settings, DetectionsConfig.defaultConfig(), new StreamsMetrics())) {
            app.start();
            if (app.awaitRunning(Duration.ofSeconds(60))) {
                System.out.println("RUNNING");
                System.out.flush();
            }
            while (System.in.read() >= 0) {
                // run until the parent closes our stdin (or kills us)
            }
        }
    }
}
