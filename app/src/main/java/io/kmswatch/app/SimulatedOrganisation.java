package io.kmswatch.app;

import io.kmswatch.emulator.traffic.TrafficProfile;
import io.kmswatch.streams.DetectionsConfig;
import io.kmswatch.streams.RuleSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What an operator of the simulated organisation would put in the {@code detections:} section: its
 * own accounts and the trusted partner are trusted; keys tagged for a planned retirement are
 * sanctioned. {@code demo} and {@code evaluate} use it so that the look-alike scenarios test the
 * detections as a real deployment would configure them.
 */
final class SimulatedOrganisation {
    /** The tag the traffic generator puts on keys whose retirement is announced. */
    static final String PLANNED_RETIREMENT_TAG = "kmswatch:planned-retirement";
    /** The traffic generator's warm-up before its first scenario (a quarter of the run, at most an hour). */
    static final Duration WARM_UP = Duration.ofHours(1);

    private SimulatedOrganisation() {
    }

    static DetectionsConfig detections(TrafficProfile profile) {
        TrafficProfile.Accounts a = profile.accounts();
        DetectionsConfig d = DetectionsConfig.defaultConfig();
        // The baselines learn during the traffic's warm-up (an hour of emulator time before the first scenario)
        // rather than the day a production deployment would wait: the novelty detections learn for the whole
        // warm-up, so that the organisation's occasional principals (the intern's DescribeKey) are known before the
        // scenarios start (cross-account-key-use learns the trusted partner's keys likewise); decrypt-spike keeps its default hour, whose median a scenario of a quarter of an hour
        // (the deploy look-alike just before the spike scenario) cannot move.
        RuleSettings learnWarmUp = new RuleSettings(null, null, null, null, null, null, WARM_UP, null);
        Map<String, RuleSettings> rules = Map.of("new-source-ip", learnWarmUp, "new-principal-on-key", learnWarmUp,
                "cross-account-key-use", learnWarmUp);
        return new DetectionsConfig(List.of(a.production(), a.staging(), a.security(), a.partner()),
                d.trustedPrincipals(), Map.of(PLANNED_RETIREMENT_TAG, "true"), d.awsServiceAllowances(),
                d.plannedRetirements(), d.grace(), d.dedupRetention(), rules, d.sigma());
    }
}
