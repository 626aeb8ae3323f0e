package io.kmswatch.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.CloudTrailEvent;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The 57 SigmaHQ AWS CloudTrail rules and the invictus attack-simulation dataset, both third-party data read from
 * {@code ../shared} (run with {@code -Pshared-data}). All 57 rules load strictly, and the (record, rule) pairs
 * the engine raises equal the list {@link SigmaHqExpectations} derives record by record without the engine.
 */
class SigmaHqSharedDataTest {
    @Test
    void shouldLoadAllFiftySevenRulesWithoutLenient() throws IOException {
        assertThat(SigmaHqExpectations.ruleFiles()).hasSize(57);
        RuleSet set = RuleSet.load(List.of(SigmaHqExpectations.RULES), LoadOptions.strict());
        assertThat(set.rules()).hasSize(57).allMatch(SigmaRule::standalone);
        assertThat(set.warnings()).isEmpty();
        assertThat(RuleSet.check(List.of(SigmaHqExpectations.RULES), LoadOptions.strict())).isEmpty();
    }

    @Test
    void shouldRaiseOnInvictusExactlyTheAlertsDerivedRecordByRecord() throws IOException {
        List<CloudTrailEvent> events = SigmaHqExpectations.invictus();
        assertThat(events).hasSize(2900);
        Set<String> expected = SigmaHqExpectations.expectedPairs(events);
        RuleSet set = RuleSet.load(List.of(SigmaHqExpectations.RULES), LoadOptions.strict());
        Set<String> actual = new TreeSet<>();
        for (RuleTester.Match m : RuleTester.run(set, events).matches()) {
            m.rules().forEach(r -> actual.add(m.event().eventId() + " " + r.info().ruleId()));
        }
        assertThat(expected).hasSizeGreaterThan(100);
        assertThat(actual).isEqualTo(expected);
    }
}
