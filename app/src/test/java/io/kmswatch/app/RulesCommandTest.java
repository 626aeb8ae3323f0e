package io.kmswatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code kmswatch rules check|test} on the shipped rules and their test events. */
class RulesCommandTest {
    private static final Path RULES = Path.of("..", "rules");

    @TempDir
    Path dir;

    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Kmswatch());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void shouldAcceptTheShippedRules() {
        Result r = run("rules", "check", RULES.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("4 detection rules (3 alerting on their own), 1 correlations, 0 filters: OK");
    }

    @Test
    void shouldListEveryProblemAndExitOne() throws IOException {
        Files.writeString(dir.resolve("bad.yml"), """
                title: one
                id: r1
                logsource: {product: aws, service: cloudtrail}
                detection:
                    selection:
                        eventName|nope: X
                    condition: selection
                ---
                title: two
                id: r2
                logsource: {product: aws, service: cloudtrail}
                detection:
                    selection:
                        eventName: X
                    condition: selection and missing
                """);
        Result r = run("rules", "check", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("bad.yml:6: rule 'r1': unknown modifier 'nope'")
                .contains("bad.yml:15: rule 'r2': bad condition 'selection and missing': unknown search identifier 'missing'")
                .contains("2 rules cannot run");
    }

    @Test
    void shouldShowWhichRecordsMatchAndWhichCorrelationsFire() {
        Result r = run("rules", "test", RULES.toString(), "--events",
                RULES.resolve("tests/mr_kms_keys_scheduled_for_deletion_in_a_burst/tp.json").toString(),
                RULES.resolve("tests/kms_key_policy_bypass_lockout_check/tp.json").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("PutKeyPolicy  ").contains("-> alert 6a361b0f-9520-4c45-a7bc-14204854715e")
                .contains("-> hit   db7fcc73-335f-41da-99e3-bb3d62ed4d04")
                .contains("alert b4a3e326-1e5d-4606-8d67-c207c564c7dc  Several KMS Keys Scheduled For Deletion By One Principal  event_count");
        assertThat(r.err()).contains("5 records (0 rejected), 5 matched; alerts from: ");
    }
}
