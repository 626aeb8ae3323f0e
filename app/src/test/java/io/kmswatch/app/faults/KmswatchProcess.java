package io.kmswatch.app.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One {@code kmswatch} command run as a user runs it: the built jar in a JVM of its own, stdout and
 * stderr together in a log file. The fault tests end it the hard way: {@link #kill()} sends SIGKILL
 * (what {@code kill -9} sends: no shutdown hook, no flush, no commit) and returns the exit status that
 * proves it; {@link #suspend()} (SIGSTOP) freezes it at whatever instruction it is on, so a test can look
 * at what it has written to Kafka before deciding to kill it.
 *
 * <p>A process still running when this JVM exits is killed by a shutdown hook.
 */
final class KmswatchProcess implements AutoCloseable {
    /** The jar {@code mvn package} builds; failsafe runs after {@code package}. */
    static final Path JAR = Path.of(System.getProperty("kmswatch.jar", "target/kmswatch.jar")).toAbsolutePath();
    /** 128 + SIGKILL (9): the status a shell reports for a process ended by {@code kill -9}. */
    static final int KILLED_STATUS = 137;
    /**
     * A bounded heap, and C1 only: these processes are killed, not measured, and C1 starts them
     * noticeably faster on a small machine.
     */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "kmswatch-fault-test-children"));
    }

    private final String name;
    private final Process process;
    private final Path log;

    private KmswatchProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code java -jar kmswatch.jar args…}.
     *
     * @param name    a label for messages; also the log file's name ({@code <logDir>/<name>.log}, appended
     *                to across restarts, so one log tells the whole story)
     * @param logDir  where the log goes; {@link #logDir} keeps it after the test for a post-mortem
     * @param env     extra environment variables
     */
    static KmswatchProcess start(String name, Path logDir, Map<String, String> env, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(args);
        Path log = logDir.resolve(name + ".log");
        try {
            Files.createDirectories(logDir);
            Files.writeString(log, "=== " + String.join(" ", args) + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            Process process = builder.start();
            LIVE.add(process);
            return new KmswatchProcess(name, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start kmswatch " + args, e);
        }
    }

    /**
     * A fresh directory for the logs of one test's processes, under {@code target/fault-logs}: it
     * outlives the test's temporary directory, so a failure can be read up afterwards.
     */
    static Path logDir(Class<?> test, String name) {
        Path dir = Path.of("target", "fault-logs", test.getSimpleName(), name).toAbsolutePath();
        try {
            if (Files.isDirectory(dir)) {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits until the log has a line containing {@code text} (after the last start), failing early when
     * the process exits first.
     *
     * @throws AssertionError with the log's tail when the line does not come in time
     */
    KmswatchProcess awaitOutput(String text, Duration timeout) {
        try {
            Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (sinceLastStart().contains(text)) {
                    return true;
                }
                if (!process.isAlive()) {
                    throw new AssertionError(name + " exited with " + process.exitValue() + " before printing '" + text
                            + "'; log:\n" + tail(40));
                }
                return false;
            });
            return this;
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(name + " did not print '" + text + "' within " + timeout + "; log:\n" + tail(40), e);
        }
    }

    /**
     * Sends SIGKILL and waits for the process to be gone.
     *
     * @return the exit status, {@value #KILLED_STATUS} for a process ended by the signal
     */
    int kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError(name + " (pid " + pid() + ") survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while killing " + name, e);
        }
        LIVE.remove(process);
        return process.exitValue();
    }

    /** SIGSTOP: the process stops where it is; the kernel keeps its sockets open. */
    void suspend() {
        signal("-STOP");
    }

    /** SIGCONT after {@link #suspend()}. */
    void resume() {
        signal("-CONT");
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(pid())).redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill " + signal + " " + pid() + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill " + signal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while sending " + signal + " to " + name, e);
        }
    }

    /**
     * Waits for the process to end by itself.
     *
     * @return the exit status
     * @throws AssertionError with the log's tail when it is still running after the timeout
     */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " still running after " + timeout + "; log:\n" + tail(40));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + name, e);
        }
        LIVE.remove(process);
        return process.exitValue();
    }

    /** The last lines of the log, for failure messages. */
    String tail(int lines) {
        List<String> all = List.of(read().split("\\R"));
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private String sinceLastStart() {
        String text = read();
        return text.substring(Math.max(0, text.lastIndexOf("=== ")));
    }

    private String read() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Kills the process if it still runs (tests end their processes the hard way anyway). */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LIVE.remove(process);
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ")";
    }
}
