package io.kmswatch.emulator.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One authorization question: may this principal perform this action on this key?
 *
 * @param principalArn       the caller: an IAM user or role ARN, an STS assumed-role ARN, the account root
 *                           ({@code arn:aws:iam::<acct>:root}), or a service principal such as
 *                           {@code cloudtrail.amazonaws.com}; never null
 * @param principalAccount   the caller's account id; null only for service principals
 * @param action             the IAM action, e.g. {@code kms:Decrypt}; never null
 * @param resourceArn        the key ARN, or {@code *} for actions on no key (CreateKey, ListKeys, …); null means {@code *}
 * @param resourceAccount    the key's account id; null for keyless actions
 * @param keyPolicyJson      the key's policy; null for keyless actions, which IAM policies alone decide
 * @param identityPolicies   the caller's IAM policies (JSON); null means none
 * @param grants             the key's grants; null means none. For {@code kms:RetireGrant} pass only the
 *                           grant being retired.
 * @param context            request condition keys (any case) to values, e.g. {@code aws:SourceIp},
 *                           {@code kms:ViaService}, {@code kms:GrantIsForAWSResource}; null means none
 * @param encryptionContext  the request's encryption context; null means none. It also supplies
 *                           {@code kms:EncryptionContext:<k>} and {@code kms:EncryptionContextKeys}.
 */
public record PolicyRequest(String principalArn, String principalAccount, String action, String resourceArn,
                            String resourceAccount, String keyPolicyJson, List<String> identityPolicies,
                            List<GrantView> grants, Map<String, List<String>> context,
                            Map<String, String> encryptionContext) {
    public PolicyRequest {
        Objects.requireNonNull(principalArn, "principalArn");
        Objects.requireNonNull(action, "action");
        resourceArn = resourceArn == null ? "*" : resourceArn;
        identityPolicies = identityPolicies == null ? List.of() : List.copyOf(identityPolicies);
        grants = grants == null ? List.of() : List.copyOf(grants);
        Map<String, List<String>> ctx = new LinkedHashMap<>();
        if (context != null) {
            context.forEach((k, v) -> ctx.put(Objects.requireNonNull(k, "context key"),
                    v == null ? List.of() : List.copyOf(new ArrayList<>(v))));
        }
        context = Map.copyOf(ctx);
        encryptionContext = encryptionContext == null ? Map.of() : Map.copyOf(encryptionContext);
    }

    /** True when the action names no key and only IAM policies decide it. */
    public boolean keyless() {
        return keyPolicyJson == null;
    }
}
