package io.kmswatch.streams;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A {@code detect} process with Sigma rules for {@link SigmaDetectKillIT}: runs one {@link DetectApp} until its
 * stdin closes or it is killed, and prints {@code RUNNING} once it processes.
 * Arguments: bootstrap servers, application id, topic prefix, state dir, rules dir.
 */
public final class SigmaDetectMain {
    private SigmaDetectMain() {
    }

    static DetectionsConfig config(String rulesDir) {
        return DetectionsConfig.defaultConfig().onlyEnabled().withGrace(Duration.ofMinutes(1))
                .withSigma(new SigmaSettings(List.of(rulesDir), false, null));
    }

    public static void main(String[] args) throws Exception {
        StreamsSettings settings = DetectAppIT.settings(args[0], args[1], args[2], Path.of(args[3]));
        try (DetectApp app = new DetectApp(settings, config(args[4]), new StreamsMetrics())) {
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
