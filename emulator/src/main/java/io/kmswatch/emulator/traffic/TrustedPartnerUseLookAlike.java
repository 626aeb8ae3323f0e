package io.kmswatch.emulator.traffic;

import java.time.Duration;
import java.util.List;

/** Look-alike: the trusted partner's normal cross-account use of the key shared with it. Nothing may fire. */
final class TrustedPartnerUseLookAlike implements Scenario {
    @Override
    public String type() {
        return "trusted-partner-use";
    }

    @Override
    public List<String> expectedDetections() {
        return List.of();
    }

    @Override
    public Duration naturalLength() {
        return Duration.ofMinutes(20);
    }

    @Override
    public void plan(ScenarioPlan plan) {
        String partner = plan.world().profile().first(TrafficProfile.Workload.PARTNER).name();
        plan.subject(TrafficWorld.SHARED_KEY, partner);
        plan.account(plan.world().profile().accounts().production());
        plan.spread(8, 0.05, 0.95, ctx -> Workloads.partner(ctx, "scenario", partner));
    }
}
