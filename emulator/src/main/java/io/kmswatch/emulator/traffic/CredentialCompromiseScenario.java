package io.kmswatch.emulator.traffic;

import java.time.Duration;
import java.util.List;

/**
 * Credential compromise: a known principal's keys used from an address it never used, looking around
 * (ListKeys, DescribeKey) and then decrypting at a high rate.
 */
final class CredentialCompromiseScenario implements Scenario {
    @Override
    public String type() {
        return "credential-compromise";
    }

    @Override
    public List<String> expectedDetections() {
        return List.of("new-source-ip", "decrypt-spike");
    }

    @Override
    public Duration naturalLength() {
        return Duration.ofMinutes(20);
    }

    @Override
    public void plan(ScenarioPlan plan) {
        String app = Incidents.envelopeApp(plan.world());
        String ip = TrafficWorld.COMPROMISED_IP;
        plan.subject(app, app);
        plan.at(0.0, ctx -> ctx.call("scenario", app, ip, "DescribeKey", kms -> kms.describeKey(r -> r.keyId("alias/" + app))));
        // High rate: as many calls per 5 minutes, for as long, as a decrypt spike needs (see DecryptSpikeScenario).
        plan.spread(DecryptSpikeScenario.spikeCalls(plan, app), 0.05,
                0.05 + plan.fraction(DecryptSpikeScenario.SPIKE_LENGTH),
                ctx -> Workloads.decryptFrom(ctx, "scenario", app, ip, app, ctx.keyArn(app)));
    }
}
