package io.kmswatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a newcomer's first {@code kmswatch demo} prints, run as a user runs it (the built jar in its own
 * JVM, stdout and stderr on one terminal): kmswatch's own line first, no WARN or ERROR line and no stack
 * trace anywhere, and at the end no call of the traffic generator left without an answer (it is stopped
 * before the emulator). A system test: it runs a whole demo of 45 seconds.
 */
@Tag("system")
class DemoOutputSystemIT {
    private static final Path JAR = Path.of(System.getProperty("kmswatch.jar", "target/kmswatch.jar")).toAbsolutePath();
    /** A log line at WARN or worse (the layout of log4j2.xml: {@code HH:mm:ss.SSS LEVEL logger - message}). */
    private static final Pattern WARN_OR_WORSE = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (WARN|ERROR|FATAL)\\b");
    /** A stack trace, or a logging framework complaining about itself. */
    private static final Pattern TRACE = Pattern.compile(
            "^(\\s+at [\\w.$]+\\(|Caused by: |Exception in thread|[\\w.$]+(Exception|Error)(: |$)|SLF4J|.*StatusLogger)");
    private static final Pattern TRAFFIC_DONE = Pattern.compile("traffic run done: (\\d+) calls, \\d+ AWS errors, (\\d+) without answer");

    @Test
    void shouldPrintKmswatchLinesFirstAndNoWarningOrErrorToTheEnd(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("demo.out");
        // The demo's throwaway work dir goes under the cache dir: one of this test's own, and (as a user's
        // ~/.cache) not under the OS temp dir, which Kafka Streams rightly warns about.
        Path cache = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "demo-output-cache-");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m",
                "-jar", JAR.toString(), "demo", "--duration", "45s", "--metrics-port", "0", "--emulator-port", "0")
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        pb.environment().put("XDG_CACHE_HOME", cache.toString());
        Process demo = pb.start();

        boolean ended = demo.waitFor(4, TimeUnit.MINUTES);
        if (!ended) {
            demo.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(output);
        String all = String.join("\n", lines);
        assertThat(ended).as("the demo ends by itself after --duration; it printed:%n%s", all).isTrue();
        assertThat(demo.exitValue()).as("exit code; it printed:%n%s", all).isZero();

        assertThat(lines).as("output").isNotEmpty();
        assertThat(lines.get(0)).as("the first line").startsWith("kmswatch demo: starting");
        assertThat(lines).as("lines at WARN or worse").noneMatch(l -> WARN_OR_WORSE.matcher(l).find());
        assertThat(lines).as("stack traces").noneMatch(l -> TRACE.matcher(l).find());
        assertThat(lines.get(lines.size() - 1)).isEqualTo("kmswatch demo: stopped.");

        Matcher done = lines.stream().map(TRAFFIC_DONE::matcher).filter(Matcher::find).findFirst()
                .orElseThrow(() -> new AssertionError("no 'traffic run done' line in:\n" + all));
        assertThat(Long.parseLong(done.group(1))).as("calls made").isPositive();
        assertThat(done.group(2)).as("calls without an answer (the emulator stopped under them)").isEqualTo("0");

        try (Stream<Path> left = Files.list(cache.resolve("kmswatch"))) {
            assertThat(left).as("the demo's work dir is gone").isEmpty();
        }
        Files.delete(cache.resolve("kmswatch"));
        Files.delete(cache);
    }
}
