package io.kmswatch.emulator.traffic;

import io.kmswatch.emulator.traffic.TrafficProfile.Workload;
import io.kmswatch.emulator.traffic.TrafficWorld.KeyPlan;

/** Names and policy edits the scenarios share. */
final class Incidents {

    private Incidents() {
    }

    static String admin(TrafficWorld world) {
        return world.profile().first(Workload.ADMIN).name();
    }

    static String envelopeApp(TrafficWorld world) {
        return world.profile().first(Workload.ENVELOPE).name();
    }

    /** The application of a workload, or the envelope application when the profile has none. */
    static String app(TrafficWorld world, Workload workload) {
        return world.profile().find(workload).map(TrafficProfile.Application::name).orElse(envelopeApp(world));
    }

    static KeyPlan plan(TrafficWorld world, String alias) {
        return world.keys().stream().filter(k -> k.alias().equals(alias)).findFirst()
                .orElseThrow(() -> new io.kmswatch.emulator.EmulatorException("no planned key " + alias));
    }

    /** The key's planned policy with one more statement appended. */
    static String policyWith(TrafficWorld world, String alias, String extraStatement) {
        String policy = world.keyPolicy(plan(world, alias));
        return policy.substring(0, policy.length() - 2) + "," + extraStatement + "]}";
    }

    static void putPolicy(TrafficContext ctx, String admin, String alias, String policy) {
        ctx.call("scenario", admin, "PutKeyPolicy", kms -> kms.putKeyPolicy(r -> r.keyId(ctx.keyArn(alias))
                .policyName("default").policy(policy)));
    }

    static void restorePolicy(TrafficContext ctx, String admin, String alias) {
        putPolicy(ctx, admin, alias, ctx.world().keyPolicy(plan(ctx.world(), alias)));
    }
}
