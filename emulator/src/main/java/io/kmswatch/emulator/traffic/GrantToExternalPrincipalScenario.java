package io.kmswatch.emulator.traffic;

import software.amazon.awssdk.services.kms.model.CreateGrantResponse;
import software.amazon.awssdk.services.kms.model.GrantOperation;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** Privilege escalation by grant: CreateGrant giving a principal of an untrusted account use of a key. */
final class GrantToExternalPrincipalScenario implements Scenario {
    @Override
    public String type() {
        return "grant-to-external-principal";
    }

    @Override
    public List<String> expectedDetections() {
        return List.of("grant-to-external-principal");
    }

    @Override
    public Duration naturalLength() {
        return Duration.ofMinutes(15);
    }

    @Override
    public void plan(ScenarioPlan plan) {
        String admin = Incidents.admin(plan.world());
        String alias = Incidents.app(plan.world(), TrafficProfile.Workload.S3);
        String grantee = plan.world().principal(TrafficWorld.OUTSIDER).policyArn();
        AtomicReference<String> grantId = new AtomicReference<>();
        plan.subject(alias, admin);
        plan.at(0.1, ctx -> ctx.call("scenario", admin, "CreateGrant", kms -> kms.createGrant(r -> r
                        .keyId(ctx.keyArn(alias)).granteePrincipal(grantee).name("support-access-" + plan.index())
                        .operations(GrantOperation.DECRYPT, GrantOperation.ENCRYPT, GrantOperation.GENERATE_DATA_KEY)))
                .map(CreateGrantResponse::grantId).ifPresent(grantId::set));
        plan.at(0.9, ctx -> {
            if (grantId.get() != null) {
                ctx.call("scenario", admin, "RevokeGrant", kms -> kms.revokeGrant(r -> r.keyId(ctx.keyArn(alias))
                        .grantId(grantId.get())));
            }
        });
    }
}
