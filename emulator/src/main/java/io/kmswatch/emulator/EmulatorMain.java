package io.kmswatch.emulator;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator as its own process (used by the durability test and for manual runs; the {@code kmswatch
 * emulator} command of the app is the user-facing entry). Arguments: {@code [--config FILE] [--port N]
 * [--bind ADDR] [--data-dir DIR] [--audit-log FILE] [--trail-dir DIR] [--clock-start ISO] [--clock-speed X]}.
 * Prints {@code KMS emulator listening on <endpoint>} on stdout once ready, and stops cleanly on SIGTERM/Ctrl-C.
 */
public final class EmulatorMain {
    private EmulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        EmulatorConfig config = EmulatorConfig.defaults();
        for (int i = 0; i < args.length; i++) {
            if ("--config".equals(args[i])) {
                config = EmulatorConfig.load(Path.of(value(args, ++i)));
            }
        }
        Instant clockStart = config.clockStart();
        Double clockSpeed = config.clockSpeed();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--config" -> i++;
                case "--port" -> config = config.withPort(Integer.parseInt(value(args, ++i)));
                case "--bind" -> config = config.withBind(value(args, ++i));
                case "--data-dir" -> config = config.withDataDir(Path.of(value(args, ++i)));
                case "--audit-log" -> config = config.withAuditLog(Path.of(value(args, ++i)));
                case "--trail-dir" -> config = config.withTrailDir(Path.of(value(args, ++i)));
                case "--clock-start" -> clockStart = Instant.parse(value(args, ++i));
                case "--clock-speed" -> clockSpeed = Double.parseDouble(value(args, ++i));
                default -> throw new EmulatorException("unknown argument " + a);
            }
        }
        config = config.withClock(clockStart, clockSpeed);
        KmsEmulator emulator = KmsEmulator.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }, "kms-emulator-shutdown"));
        System.out.println("KMS emulator listening on " + emulator.endpoint());
        System.out.println("Default credentials: AWS_ACCESS_KEY_ID=" + EmulatorConfig.DEFAULT_ACCESS_KEY_ID
                + " (secret in the emulator README), region " + config.region());
        System.out.flush();
        stopped.await();
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new EmulatorException("missing value for " + args[i - 1]);
        }
        return args[i];
    }
}
