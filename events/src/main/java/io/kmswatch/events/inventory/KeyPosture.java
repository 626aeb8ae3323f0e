package io.kmswatch.events.inventory;

import com.fasterxml.jackson.databind.node.TextNode;
import io.kmswatch.events.Severity;
import io.kmswatch.events.policy.PolicyAnalyzer;
import io.kmswatch.events.policy.Principals;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Who may use a key and what is wrong with it, from one {@link KeySnapshot}: the policy analysis the
 * {@code key-policy-opened} detection uses ({@link PolicyAnalyzer}), the grants to principals of other
 * accounts, and the posture findings. Pure; the same for {@code kmswatch inventory} and the detections.
 *
 * <p>Findings, for customer managed keys only (AWS managed keys are listed, not judged):
 * <ul>
 *   <li>{@value #PENDING_DELETION} (Security Hub KMS.3): the key is pending deletion (or replica deletion);</li>
 *   <li>{@value #ROTATION_DISABLED} (KMS.4): automatic rotation is off on an enabled or disabled symmetric key
 *       whose material KMS made ({@code AWS_KMS} origin) and that is not a multi-Region replica (a replica
 *       rotates with its primary); keys that cannot rotate automatically are not judged;</li>
 *   <li>{@value #PUBLIC} (KMS.5): an Allow statement opens the key to {@code *} without a restricting condition;</li>
 *   <li>{@value #GRANT_EXTERNAL}: a grant's grantee or retiring principal belongs to another account that is not trusted;</li>
 *   <li>{@value #IAM_DECIDES} (information): the policy gives {@code kms:*} to the account itself, so IAM policies decide.</li>
 * </ul>
 *
 * @param publicOpenings   statements that open the key to everyone; never null
 * @param externalAccounts principals of other, untrusted accounts the policy allows; never null
 * @param externalGrants   grants to principals of other, untrusted accounts; never null
 * @param iamDecides       the policy delegates to the account's IAM policies
 * @param findings         never null
 */
public record KeyPosture(List<PolicyAnalyzer.Opening> publicOpenings, List<String> externalAccounts,
                         List<KeyGrant> externalGrants, boolean iamDecides, List<PostureFinding> findings) {
    public static final String PENDING_DELETION = "posture-key-pending-deletion";
    public static final String ROTATION_DISABLED = "posture-rotation-disabled";
    public static final String PUBLIC = "posture-key-public";
    public static final String GRANT_EXTERNAL = "posture-grant-external";
    public static final String IAM_DECIDES = "posture-iam-decides";
    /** The findings that are alerted (every one but {@value #IAM_DECIDES}). */
    public static final List<String> ALERTED = List.of(PENDING_DELETION, ROTATION_DISABLED, PUBLIC, GRANT_EXTERNAL);

    public KeyPosture {
        publicOpenings = List.copyOf(publicOpenings);
        externalAccounts = List.copyOf(externalAccounts);
        externalGrants = List.copyOf(externalGrants);
        findings = List.copyOf(findings);
    }

    /**
     * Assesses one key.
     *
     * @param trustedAccount accounts whose access is expected (besides the key's own)
     */
    public static KeyPosture of(KeySnapshot k, Predicate<String> trustedAccount) {
        List<PolicyAnalyzer.Opening> open = k.policy() == null ? List.of()
                : PolicyAnalyzer.openings(TextNode.valueOf(k.policy()), k.accountId(), trustedAccount);
        List<PolicyAnalyzer.Opening> publicOpenings = open.stream().filter(o -> "public".equals(o.kind())).toList();
        List<String> external = open.stream().filter(o -> "external".equals(o.kind()))
                .map(PolicyAnalyzer.Opening::principal).distinct().toList();
        List<KeyGrant> externalGrants = k.grants().stream()
                .filter(g -> isExternal(g.granteePrincipal(), k.accountId(), trustedAccount)
                        || isExternal(g.retiringPrincipal(), k.accountId(), trustedAccount))
                .toList();
        boolean iam = k.policy() != null && PolicyAnalyzer.delegatesToIam(TextNode.valueOf(k.policy()), k.accountId());
        List<PostureFinding> findings = new ArrayList<>();
        if (!k.customerManaged()) {
            return new KeyPosture(publicOpenings, external, externalGrants, iam, findings);
        }
        String arn = k.keyArn();
        if ("PendingDeletion".equals(k.keyState()) || "PendingReplicaDeletion".equals(k.keyState())) {
            findings.add(new PostureFinding(PENDING_DELETION, "KMS.3", Severity.HIGH, arn,
                    "Key " + arn + " is scheduled for deletion" + (k.deletionDate() == null ? "" : " on " + k.deletionDate()),
                    "deletionDate=" + k.deletionDate() + " pendingWindowInDays=" + k.pendingWindowInDays()));
        }
        if (rotationJudged(k) && Boolean.FALSE.equals(k.rotationEnabled())) {
            findings.add(new PostureFinding(ROTATION_DISABLED, "KMS.4", Severity.MEDIUM, arn,
                    "Automatic rotation is off on key " + arn, "keyState=" + k.keyState()));
        }
        if (!publicOpenings.isEmpty()) {
            findings.add(new PostureFinding(PUBLIC, "KMS.5", Severity.CRITICAL, arn,
                    "Key " + arn + " is open to everyone (Principal * without a restricting condition)",
                    publicOpenings.stream().map(o -> (o.sid() == null ? "statement" : "Sid " + o.sid()) + ": " + o.actions())
                            .collect(Collectors.joining("; "))));
        }
        if (!externalGrants.isEmpty()) {
            findings.add(new PostureFinding(GRANT_EXTERNAL, null, Severity.HIGH, arn,
                    "Key " + arn + " has " + externalGrants.size() + " grant(s) to other accounts",
                    externalGrants.stream().map(g -> g.grantId() + " -> " + g.granteePrincipal() + " " + g.operations())
                            .collect(Collectors.joining("; "))));
        }
        if (iam) {
            findings.add(new PostureFinding(IAM_DECIDES, null, Severity.INFO, arn,
                    "IAM policies of account " + k.accountId() + " decide who may use key " + arn,
                    "the key policy allows kms:* to the account root"));
        }
        return new KeyPosture(publicOpenings, external, externalGrants, iam, findings);
    }

    /** True when KMS.4 applies: a customer managed, symmetric, KMS-made key, not a replica, not on its way out. */
    public static boolean rotationJudged(KeySnapshot k) {
        return k.customerManaged() && "SYMMETRIC_DEFAULT".equals(k.keySpec()) && "AWS_KMS".equals(k.origin())
                && !"REPLICA".equals(k.multiRegionRole())
                && ("Enabled".equals(k.keyState()) || "Disabled".equals(k.keyState()));
    }

    /** True when a principal belongs to an account other than the key's and not trusted (AWS services are not). */
    public static boolean isExternal(String principal, String keyAccount, Predicate<String> trustedAccount) {
        if (principal == null || Principals.isAwsServicePrincipal(principal)) {
            return false;
        }
        String account = Principals.accountOfPrincipal(principal);
        return account != null && !account.equals(keyAccount) && !trustedAccount.test(account);
    }

    /** The alerted findings' ids. */
    public List<String> alertedIds() {
        return findings.stream().map(PostureFinding::id).filter(ALERTED::contains).toList();
    }
}
