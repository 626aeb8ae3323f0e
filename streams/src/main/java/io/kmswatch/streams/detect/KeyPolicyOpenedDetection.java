package io.kmswatch.streams.detect;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.events.KeyArns;
import io.kmswatch.events.KmsOperation;
import io.kmswatch.events.Severity;
import io.kmswatch.events.policy.PolicyAnalyzer;
import io.kmswatch.streams.RuleSettings;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code key-policy-opened}: a successful PutKeyPolicy, or CreateKey with a policy, whose policy allows
 * {@code *} without a restricting condition (critical) or an account outside the key's own and the
 * trusted accounts (the configured severity). See {@link PolicyAnalyzer} for the parsing rules.
 */
public final class KeyPolicyOpenedDetection extends StatelessDetection {
    public static final String ID = "key-policy-opened";

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
        KmsOperation op = e.operation();
        if (!e.isKms() || !e.succeeded() || (op != KmsOperation.PUT_KEY_POLICY && op != KmsOperation.CREATE_KEY)) {
            return List.of();
        }
        JsonNode policy = e.requestParameters().get("policy");
        if (policy == null || policy.isNull()) {
            return List.of();
        }
        String key = e.keyArn();
        String keyAccount = key != null ? KeyArns.accountOf(key) : e.callerAccountId();
        List<PolicyAnalyzer.Opening> openings = PolicyAnalyzer.openings(policy, keyAccount,
                ctx.config()::isTrustedAccount);
        if (openings.isEmpty()) {
            return List.of();
        }
        boolean isPublic = openings.stream().anyMatch(o -> "public".equals(o.kind()));
        Severity s = isPublic ? Severity.CRITICAL : ctx.settings().severity();
        String who = openings.stream().map(PolicyAnalyzer.Opening::principal).distinct().collect(Collectors.joining(", "));
        String region = key != null ? KeyArns.regionOf(key) : e.awsRegion();
        // One finding per opening change, not per key: a key opened, restored and opened again is two incidents, and
        // the second must not be folded into the first (a redelivered record keeps its eventID and stays one).
        return List.of(Findings.about(ID, s, e).account(keyAccount).fingerprintOf(key != null ? key : keyAccount, e.eventId())
                .title((isPublic ? "Key policy opens the key to everyone: " : "Key policy opens the key to another account: ")
                        + (key != null ? key : "(new key)"))
                .summary(e.principal() + " set a key policy that allows " + who
                        + (isPublic ? " without a condition restricting the caller." : ", outside the trusted accounts."))
                .attr("openedTo", who).attr("public", isPublic)
                .attr("statements", openings.stream().map(o -> o.sid() == null ? "(no Sid)" : o.sid()).distinct()
                        .collect(Collectors.joining(",")))
                .attr("actions", openings.get(0).actions())
                .runbook(Runbooks.forKey(key, region, List.of(
                        "Which statement opens the key, and was it reviewed? Compare with the previous policy.",
                        "Has the opened principal used the key since (cross-account-key-use, new-principal-on-key)?",
                        "Restore the reviewed policy or add an aws:PrincipalOrgID / kms:CallerAccount condition."),
                        key == null ? "aws kms list-keys --region " + region : Runbooks.getKeyPolicy(key, region)))
                .build());
    }
}
