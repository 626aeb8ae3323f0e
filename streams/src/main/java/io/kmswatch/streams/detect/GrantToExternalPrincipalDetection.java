package io.kmswatch.streams.detect;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.events.KeyArns;
import io.kmswatch.events.KmsOperation;
import io.kmswatch.events.Severity;
import io.kmswatch.streams.RuleSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code grant-to-external-principal}: a successful CreateGrant whose grantee or retiring principal
 * belongs to an account other than the key's that is not trusted. AWS service principals and EC2's
 * infrastructure identity are not external, and grants created by an allowed AWS service
 * ({@code invokedBy}: EBS, RDS, …) on a principal's behalf are expected. A trusted grantee principal
 * is not external either.
 */
public final class GrantToExternalPrincipalDetection extends StatelessDetection {
    public static final String ID = "grant-to-external-principal";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public RuleSettings defaults() {
        return RuleSettings.unset().withEnabled(true).withSeverity(Severity.HIGH);
    }

    @Override
    protected List<Detection> evaluate(KeyEvent ke, RuleContext ctx) {
        CloudTrailEvent e = ke.event();
        if (!e.isKms() || !e.succeeded() || e.operation() != KmsOperation.CREATE_GRANT
                || ctx.config().isAllowedService(e.userIdentity().invokedBy())) {
            return List.of();
        }
        String key = e.keyArn();
        String keyAccount = key != null ? KeyArns.accountOf(key) : e.callerAccountId();
        List<String> external = new ArrayList<>();
        for (String field : new String[] {"granteePrincipal", "retiringPrincipal"}) {
            String p = e.requestParameters().path(field).asText(null);
            if (p == null || Callers.isAwsServicePrincipal(p) || ctx.config().isTrustedPrincipal(p)) {
                continue;
            }
            String account = Callers.accountOfPrincipal(p);
            if (account != null && !account.equals(keyAccount) && !ctx.config().isTrustedAccount(account)
                    && !external.contains(p)) {
                external.add(p);
            }
        }
        if (external.isEmpty()) {
            return List.of();
        }
        String grantee = external.get(0);
        String region = key != null ? KeyArns.regionOf(key) : e.awsRegion();
        String grantId = e.responseElements().path("grantId").asText(null);
        return List.of(Findings.about(ID, ctx.settings().severity(), e).account(keyAccount)
                .fingerprintOf(key, grantee)
                .title("Grant on " + key + " to external principal " + grantee)
                .summary(e.principal() + " granted " + String.join(", ", external) + " the operations "
                        + e.requestParameters().path("operations") + " on the key. A grant bypasses the key policy "
                        + "and is not visible in it.")
                .attr("grantee", grantee).attr("externalPrincipals", String.join(",", external))
                .attr("operations", e.requestParameters().path("operations").toString()).attr("grantId", grantId)
                .runbook(Runbooks.forKey(key, region, List.of(
                        "Who owns account " + Callers.accountOfPrincipal(grantee) + "? Is sharing with it approved?",
                        "Has the grantee used the key since (cross-account-key-use)?",
                        "If not approved, revoke the grant."),
                        Runbooks.listGrants(key, region),
                        "aws kms revoke-grant --key-id " + key + " --grant-id " + (grantId == null ? "<grant-id>" : grantId)
                                + " --region " + region))
                .build());
    }
}
