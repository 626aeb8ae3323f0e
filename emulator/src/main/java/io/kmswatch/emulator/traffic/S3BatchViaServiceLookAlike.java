package io.kmswatch.emulator.traffic;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Look-alike: an S3 batch job re-encrypting objects: a burst of GenerateDataKey and Decrypt calls that S3 makes
 * on the principal's behalf ({@code invokedBy: s3.amazonaws.com}). Nothing may fire.
 */
final class S3BatchViaServiceLookAlike implements Scenario {
    @Override
    public String type() {
        return "s3-batch-via-service";
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
        String app = Incidents.app(plan.world(), TrafficProfile.Workload.S3);
        plan.subject(app, app);
        plan.spread(80, 0.05, 0.95, ctx -> Workloads.envelope(ctx, "scenario", app, app,
                Map.of("aws:s3:arn", "arn:aws:s3:::" + app + "-bucket/batch/" + ctx.random().nextInt(100_000)), 1.0));
    }
}
