package io.kmswatch.emulator.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.kmswatch.events.Json;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Test fixtures: the guide's accounts, principals and policies, and a request builder. */
final class Policies {

    static final String ACCOUNT_A = "111122223333";
    static final String ACCOUNT_B = "999988887777";
    static final String ACCOUNT_C = "444455556666";
    static final String KEY = "arn:aws:kms:us-east-1:" + ACCOUNT_A + ":key/12345678-1234-1234-1234-123456789012";
    static final String OTHER_KEY = "arn:aws:kms:us-east-1:" + ACCOUNT_A + ":key/0987dcba-09fe-87dc-65ba-ab0987654321";
    static final String ROOT_A = "arn:aws:iam::" + ACCOUNT_A + ":root";
    static final String ROOT_B = "arn:aws:iam::" + ACCOUNT_B + ":root";
    static final String ADMIN_ROLE = "arn:aws:iam::" + ACCOUNT_A + ":role/KeyAdminRole";
    static final String APP_ROLE = "arn:aws:iam::" + ACCOUNT_A + ":role/AppEncryptionRole";
    static final String APP_SESSION = "arn:aws:sts::" + ACCOUNT_A + ":assumed-role/AppEncryptionRole/i-0abc123";
    static final String ALICE = "arn:aws:iam::" + ACCOUNT_A + ":user/alice";
    static final String EXT_ROLE = "arn:aws:iam::" + ACCOUNT_B + ":role/CrossAccountKMSRole";
    static final String ATTACKER = "arn:aws:iam::" + ACCOUNT_C + ":user/mallory";

    /** The guide's key policy: administrators and users split, no "Enable IAM policies" statement. */
    static final String GUIDE_KEY_POLICY = doc(
            allow(ADMIN_ROLE, List.of("kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*",
                    "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Delete*", "kms:ScheduleKeyDeletion",
                    "kms:CancelKeyDeletion")).sid("Allow administration of the key").build(),
            allow(APP_ROLE, List.of("kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"))
                    .sid("Allow use of the key for encryption").build());

    /** The guide's cross-account key policy in account A, sharing the key with account B. */
    static final String CROSS_ACCOUNT_KEY_POLICY = doc(
            allow(ROOT_A, List.of("kms:*")).sid("Enable IAM User Permissions").build(),
            allow(ROOT_B, List.of("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                    "kms:DescribeKey")).sid("AllowCrossAccountUse").build(),
            allow(ROOT_B, List.of("kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"))
                    .sid("AllowCrossAccountGrant").condition("Bool", "kms:GrantIsForAWSResource", "true").build());

    static final String IAM_KMS_ALL = doc(identity("Allow", List.of("kms:*"), List.of("*")).build());
    static final String IAM_USE_KEY = doc(identity("Allow", List.of("kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"),
            List.of(KEY)).sid("AllowCrossAccountKMSUse").build());
    static final String IAM_DENY_DECRYPT = doc(identity("Deny", List.of("kms:Decrypt"), List.of("*")).build());

    private Policies() {
    }

    static Statement allow(String principal, List<String> actions) {
        return new Statement("Allow").principal(principal).actions(actions);
    }

    static Statement deny(String principal, List<String> actions) {
        return new Statement("Deny").principal(principal).actions(actions);
    }

    static Statement identity(String effect, List<String> actions, List<String> resources) {
        return new Statement(effect).actions(actions).resources(resources);
    }

    static String doc(Map<?, ?>... statements) {
        return doc(List.of(statements));
    }

    static String doc(List<? extends Map<?, ?>> statements) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("Version", "2012-10-17");
        doc.put("Statement", statements);
        try {
            return Json.MAPPER.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A statement under construction. */
    static final class Statement {
        private final Map<String, Object> s = new LinkedHashMap<>();
        private final Map<String, Map<String, Object>> conditions = new LinkedHashMap<>();

        Statement(String effect) {
            s.put("Effect", effect);
            s.put("Resource", "*");
        }

        Statement sid(String sid) {
            s.put("Sid", sid);
            return this;
        }

        Statement principal(String arn) {
            s.put("Principal", arn.equals("*") ? "*" : Map.of("AWS", arn));
            return this;
        }

        Statement principalMap(Map<String, Object> principal) {
            s.put("Principal", principal);
            return this;
        }

        Statement notPrincipal(String arn) {
            s.remove("Principal");
            s.put("NotPrincipal", Map.of("AWS", arn));
            return this;
        }

        Statement actions(List<String> actions) {
            s.put("Action", actions.size() == 1 ? actions.get(0) : actions);
            return this;
        }

        Statement notActions(List<String> actions) {
            s.remove("Action");
            s.put("NotAction", actions);
            return this;
        }

        Statement resources(List<String> resources) {
            s.put("Resource", resources.size() == 1 ? resources.get(0) : resources);
            return this;
        }

        Statement condition(String operator, String key, Object... values) {
            conditions.computeIfAbsent(operator, o -> new LinkedHashMap<>())
                    .put(key, values.length == 1 ? values[0] : List.of(values));
            return this;
        }

        Map<String, Object> build() {
            Map<String, Object> out = new LinkedHashMap<>(s);
            if (!conditions.isEmpty()) {
                out.put("Condition", conditions);
            }
            return out;
        }
    }

    /** A {@link PolicyRequest} under construction: by default alice asks for kms:Decrypt on KEY. */
    static final class Req {
        private String principal = ALICE;
        private String account = ACCOUNT_A;
        private String action = "kms:Decrypt";
        private String resource = KEY;
        private String resourceAccount = ACCOUNT_A;
        private String keyPolicy = KeyPolicies.defaultKeyPolicy("aws", ACCOUNT_A);
        private final List<String> iam = new ArrayList<>();
        private final List<GrantView> grants = new ArrayList<>();
        private final Map<String, List<String>> context = new LinkedHashMap<>();
        private final Map<String, String> encryptionContext = new LinkedHashMap<>();

        static Req of(String principal, String action) {
            Req r = new Req();
            r.principal = principal;
            String[] parts = principal.split(":", 6);
            r.account = parts.length == 6 && !parts[4].isEmpty() ? parts[4] : null;
            r.action = action;
            return r;
        }

        Req keyPolicy(String json) {
            keyPolicy = json;
            return this;
        }

        Req keyless() {
            keyPolicy = null;
            resource = "*";
            resourceAccount = null;
            return this;
        }

        Req iam(String... policies) {
            iam.addAll(List.of(policies));
            return this;
        }

        Req grant(String id, String grantee, Set<String> operations, Map<String, String> subset,
                  Map<String, String> equals) {
            grants.add(new GrantView(id, KEY, grantee, null, operations, subset, equals));
            return this;
        }

        Req grant(GrantView grant) {
            grants.add(grant);
            return this;
        }

        Req ctx(String key, String... values) {
            context.put(key, List.of(values));
            return this;
        }

        Req ec(String key, String value) {
            encryptionContext.put(key, value);
            return this;
        }

        Req resource(String arn) {
            resource = arn;
            return this;
        }

        PolicyRequest build() {
            return new PolicyRequest(principal, account, action, resource, resourceAccount, keyPolicy, iam, grants,
                    context, encryptionContext);
        }
    }
}
