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

    private SimulatedOrganisation() {
    }

    static DetectionsConfig detections(TrafficProfile profile) {
        TrafficProfile.Accounts a = profile.accounts();
        DetectionsConfig d = DetectionsConfig.defaultConfig();
        // The baselines learn during the traffic's warm-up (at most an hour of emulator time) rather than
        // the day a production deployment would wait.
        RuleSettings learnFast = new RuleSettings(null, null, null, null, null, null, Duration.ofMinutes(30), null);
        Map<String, RuleSettings> rules = Map.of("new-source-ip", learnFast, "new-principal-on-key", learnFast,
                "decrypt-spike", learnFast);
        return new DetectionsConfig(List.of(a.production(), a.staging(), a.security(), a.partner()),
                d.trustedPrincipals(), Map.of(PLANNED_RETIREMENT_TAG, "true"), d.awsServiceAllowances(),
                d.plannedRetirements(), d.grace(), d.dedupRetention(), rules);
    }
}
