package io.kmswatch.events.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmswatch.events.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads a key policy and reports the Allow statements that open the key: to everyone ({@code *}
 * without a restricting condition) or to an account outside the trusted set. Handles what breaks
 * other rule sets: the policy as a JSON string (CloudTrail) or an object, {@code Principal} as
 * {@code "*"}, {@code {"AWS": "*"}} or {@code {"AWS": [...]}}, {@code Action} as string or array,
 * {@code Statement} as object or array. Deny statements never open a key. A condition on the caller's
 * organisation, account, ARN, network or source ({@code aws:PrincipalOrgID}, {@code kms:CallerAccount},
 * {@code aws:SourceAccount}, …) closes {@code *}.
 */
public final class PolicyAnalyzer {
    private static final Set<String> RESTRICTING = Set.of("aws:principalorgid", "aws:principalorgpaths",
            "aws:sourceorgid", "aws:sourceorgpaths", "aws:principalaccount", "aws:sourceaccount",
            "kms:calleraccount", "aws:principalarn", "aws:sourcearn", "aws:sourcevpc", "aws:sourcevpce",
            "aws:sourceip", "aws:userid", "aws:username", "aws:resourceorgid", "aws:principalservicename");

    /** One opening: {@code public} or {@code external}, with the principal that opens it. */
    public record Opening(String kind, String principal, String sid, String actions) {
    }

    private PolicyAnalyzer() {
    }

    /**
     * The openings in a policy given as a JSON string or an object; empty for an unreadable policy.
     *
     * @param keyAccount     the key's own account (its principals are not external)
     * @param trustedAccount accounts that are not external either
     */
    public static List<Opening> openings(JsonNode policy, String keyAccount, Predicate<String> trustedAccount) {
        JsonNode doc = document(policy);
        List<Opening> out = new ArrayList<>();
        if (doc == null) {
            return out;
        }
        for (JsonNode st : asList(doc.get("Statement"))) {
            if (!"Allow".equalsIgnoreCase(st.path("Effect").asText())) {
                continue;
            }
            String sid = st.path("Sid").asText(null);
            String actions = String.join(",", texts(st.has("Action") ? st.get("Action") : st.get("NotAction")));
            if (st.has("NotPrincipal")) {
                // Allow + NotPrincipal grants everyone but the listed principals.
                out.add(new Opening("public", "NotPrincipal", sid, actions));
                continue;
            }
            boolean restricted = restricting(st.get("Condition"));
            for (String p : principals(st.get("Principal"))) {
                if ("*".equals(p)) {
                    if (!restricted) {
                        out.add(new Opening("public", "*", sid, actions));
                    }
                    continue;
                }
                if (Principals.isAwsServicePrincipal(p)) {
                    continue;
                }
                String account = Principals.accountOfPrincipal(p);
                if (account != null && !account.equals(keyAccount) && !trustedAccount.test(account)) {
                    out.add(new Opening("external", p, sid, actions));
                }
            }
        }
        return out;
    }

    /**
     * True when an Allow statement gives {@code kms:*} (or {@code *}) to the key's own account as a whole
     * ({@code arn:aws:iam::<account>:root} or the bare id) without a condition: the account's IAM policies,
     * not the key policy, then decide who may use the key (the key policy "enables IAM policies", KMS
     * developer guide, "Default key policy"). False for an unreadable policy.
     */
    public static boolean delegatesToIam(JsonNode policy, String keyAccount) {
        JsonNode doc = document(policy);
        if (doc == null) {
            return false;
        }
        for (JsonNode st : asList(doc.get("Statement"))) {
            if (!"Allow".equalsIgnoreCase(st.path("Effect").asText()) || st.has("Condition") || !st.has("Action")) {
                continue;
            }
            List<String> actions = texts(st.get("Action"));
            if (!actions.contains("kms:*") && !actions.contains("*")) {
                continue;
            }
            for (String p : principals(st.get("Principal"))) {
                if (Principals.isAccountRoot(p) && keyAccount != null && keyAccount.equals(Principals.accountOfPrincipal(p))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The policy document as an object (parsing a JSON string), or null when it is none. */
    private static JsonNode document(JsonNode policy) {
        JsonNode doc = policy;
        if (policy != null && policy.isTextual()) {
            try {
                doc = Json.MAPPER.readTree(policy.textValue());
            } catch (IOException e) {
                return null;
            }
        }
        return doc != null && doc.isObject() ? doc : null;
    }

    /** AWS principals of a statement (the {@code AWS} and {@code CanonicalUser} members, or a bare string). */
    static List<String> principals(JsonNode principal) {
        List<String> out = new ArrayList<>();
        if (principal == null || principal.isNull()) {
            return out;
        }
        if (principal.isTextual()) {
            out.add(principal.textValue().trim());
            return out;
        }
        Iterator<Map.Entry<String, JsonNode>> it = principal.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> m = it.next();
            if ("Service".equalsIgnoreCase(m.getKey())) {
                continue;
            }
            for (String p : texts(m.getValue())) {
                out.add(p.trim());
            }
        }
        return out;
    }

    /** True when a condition pins the caller down with a positive match on a restricting key. */
    static boolean restricting(JsonNode condition) {
        if (condition == null || !condition.isObject()) {
            return false;
        }
        Iterator<Map.Entry<String, JsonNode>> ops = condition.fields();
        while (ops.hasNext()) {
            Map.Entry<String, JsonNode> op = ops.next();
            String operator = op.getKey().toLowerCase(Locale.ROOT);
            if (operator.contains("not") || operator.startsWith("null") || operator.endsWith("ifexists")) {
                continue;
            }
            Iterator<Map.Entry<String, JsonNode>> keys = op.getValue().fields();
            while (keys.hasNext()) {
                Map.Entry<String, JsonNode> k = keys.next();
                String key = k.getKey().toLowerCase(Locale.ROOT);
                boolean restrictingKey = RESTRICTING.contains(key) || key.contains("orgid") || key.contains("orgpath");
                List<String> values = texts(k.getValue());
                if (restrictingKey && !values.isEmpty() && !values.contains("*")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<JsonNode> asList(JsonNode n) {
        List<JsonNode> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (n.isArray()) {
            n.forEach(out::add);
        } else {
            out.add(n);
        }
        return out;
    }

    private static List<String> texts(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : asList(n)) {
            if (v.isValueNode()) {
                out.add(v.asText());
            }
        }
        return out;
    }
}
