package io.kmswatch.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.CloudTrailCodec;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Rejected;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kmswatch's own rules ({@code rules/} at the top of the repository): each loads strictly and, run by the same
 * engine as the stream, alerts on every one of its true-positive events ({@code rules/tests/<rule>/tp.json}) and
 * on none of its false-positive events ({@code fp.json}).
 */
class ShippedRulesTest {
    static final Path RULES = Path.of("..", "rules");

    static Stream<String> ruleFiles() throws IOException {
        try (Stream<Path> s = Files.list(RULES)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml")).sorted().toList().stream();
        }
    }

    static List<CloudTrailEvent> read(Path file) {
        List<CloudTrailEvent> events = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        io.kmswatch.events.CodecFiles.read(new CloudTrailCodec(), file, new CloudTrailCodec.Sink() {
            @Override
            public void record(CloudTrailEvent event, String location) {
                events.add(event);
            }

            @Override
            public void rejected(Rejected r) {
                rejected.add(r);
            }
        });
        assertThat(rejected).as("records rejected in " + file).isEmpty();
        return events;
    }

    @ParameterizedTest
    @MethodSource("ruleFiles")
    void shouldAlertOnEveryTruePositiveAndNoFalsePositive(String fileName) {
        RuleSet all = RuleSet.load(List.of(RULES), LoadOptions.strict());
        String stem = fileName.substring(0, fileName.length() - ".yml".length());
        Path tests = RULES.resolve("tests").resolve(stem);
        // the alerting rule of this file: its correlation if it has one, else its detection rule
        String alerting = all.correlations().stream().filter(c -> c.info().file().endsWith(fileName))
                .map(SigmaCorrelation::ruleId).findFirst()
                .orElseGet(() -> all.rules().stream().filter(r -> r.info().file().endsWith(fileName))
                        .map(r -> r.info().ruleId()).findFirst().orElseThrow());
        boolean isCorrelation = all.correlations().stream().anyMatch(c -> c.ruleId().equals(alerting));

        List<CloudTrailEvent> tp = read(tests.resolve("tp.json"));
        assertThat(tp).isNotEmpty();
        if (isCorrelation) {
            assertThat(RuleTester.run(all, tp).alerted()).contains(alerting);
        } else {
            for (CloudTrailEvent e : tp) {
                assertThat(RuleTester.run(all, List.of(e)).alerted()).as("true positive " + e.eventId()).contains(alerting);
            }
        }
        List<CloudTrailEvent> fp = read(tests.resolve("fp.json"));
        assertThat(fp).isNotEmpty();
        assertThat(RuleTester.run(all, fp).alerted()).doesNotContain(alerting);
    }
}
