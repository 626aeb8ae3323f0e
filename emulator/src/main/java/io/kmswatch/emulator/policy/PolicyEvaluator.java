package io.kmswatch.emulator.policy;

import io.kmswatch.emulator.policy.PolicyDecision.Effect;
import io.kmswatch.emulator.policy.PrincipalMatcher.Caller;
import io.kmswatch.emulator.policy.PrincipalMatcher.Match;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides KMS requests the way AWS documents it for KMS keys
 * (<a href="https://docs.aws.amazon.com/kms/latest/developerguide/control-access.html">KMS key access and
 * permissions</a>, <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html">IAM
 * policy evaluation logic</a>):
 *
 * <ol>
 *   <li>An explicit Deny in the key policy or in any identity policy wins over everything, grants included.
 *       A Deny whose condition uses an operator this evaluator does not know applies (fail closed).</li>
 *   <li>Keyless actions (CreateKey, ListKeys, ListAliases, GenerateRandom, …) are decided by the caller's
 *       identity policies alone.</li>
 *   <li>"IAM policies alone are not enough": for a key, the key policy must allow the caller directly
 *       (its ARN, a session of a named role, {@code *}) — which suffices within the key's account — or allow
 *       the caller's account (its root ARN or bare id), which hands the decision to the caller's identity
 *       policies. The account root user is not limited by identity policies.</li>
 *   <li>Cross-account (caller account ≠ key account) needs both sides: the key policy must allow the caller
 *       or its account, and the caller's identity policies must allow the action; and only the operations
 *       KMS allows across accounts are possible at all (cryptographic operations, DescribeKey, GetPublicKey,
 *       GetKeyRotationStatus, and the grant operations).</li>
 *   <li>A grant allows its operations to its grantee with no policy change, within the key's account or
 *       across accounts, provided its encryption-context constraint holds (EncryptionContextEquals: the
 *       request's context is exactly the grant's; EncryptionContextSubset: it contains the grant's pairs).
 *       The constraint does not apply to DescribeKey, RetireGrant and CreateGrant. A grant to an account
 *       (root ARN or id) needs that account's identity policies too. For RetireGrant the grant's retiring
 *       principal may retire it.</li>
 * </ol>
 *
 * Condition keys come from {@link PolicyRequest#context()}, plus keys derived from the request when the
 * caller did not supply them: {@code aws:PrincipalArn}, {@code aws:PrincipalAccount}, {@code kms:CallerAccount},
 * {@code aws:ResourceAccount}, {@code kms:EncryptionContext:<k>} and {@code kms:EncryptionContextKeys}.
 * Condition key names are case-insensitive. A malformed policy denies (implicitly) with the parse error as
 * the reason. Parsed documents are cached; the class is thread-safe.
 */
public final class PolicyEvaluator {

    /** Operations KMS allows principals of another account to perform on a key (key-policy-modifying-external-accounts). */
    private static final Set<String> CROSS_ACCOUNT_OPERATIONS = Set.of("CreateGrant", "Decrypt", "DescribeKey",
            "Encrypt", "GenerateDataKey", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
            "GenerateDataKeyWithoutPlaintext", "GenerateMac", "GetKeyRotationStatus", "GetPublicKey", "ListGrants",
            "ReEncryptFrom", "ReEncryptTo", "RetireGrant", "RevokeGrant", "Sign", "Verify", "VerifyMac",
            "DeriveSharedSecret");
    /** Grant operations whose encryption-context constraints are not checked. */
    private static final Set<String> UNCONSTRAINED_GRANT_OPERATIONS = Set.of("DescribeKey", "RetireGrant", "CreateGrant");
    private static final int CACHE_LIMIT = 512;

    private final Map<String, Object> parsed = new ConcurrentHashMap<>();

    /** Creates an evaluator with an empty parse cache. */
    public PolicyEvaluator() {
    }

    /**
     * Decides one request.
     *
     * @param r the request; never null
     * @return the decision and why; never null
     */
    public PolicyDecision evaluate(PolicyRequest r) {
        Objects.requireNonNull(r, "r");
        String action = r.action();
        String operation = operation(action);
        Caller caller = new Caller(r.principalArn(), callerAccount(r));
        Map<String, List<String>> context = context(r, caller);
        String noResourcePolicy = "because no resource-based policy allows the " + action + " action";
        String noIdentityPolicy = "because no identity-based policy allows the " + action + " action";

        PolicyDocument keyPolicy = null;
        if (!r.keyless()) {
            Object doc = parse(r.keyPolicyJson());
            if (doc instanceof MalformedPolicyException e) {
                return deny(Effect.IMPLICIT_DENY, noResourcePolicy, "the key policy is malformed: " + e.getMessage());
            }
            keyPolicy = (PolicyDocument) doc;
        }
        List<PolicyDocument> identity = new ArrayList<>(r.identityPolicies().size());
        for (int i = 0; i < r.identityPolicies().size(); i++) {
            Object doc = parse(r.identityPolicies().get(i));
            if (doc instanceof MalformedPolicyException e) {
                // A malformed identity policy might have held a Deny: fail closed.
                return deny(Effect.IMPLICIT_DENY, noIdentityPolicy,
                        "identity policy #" + (i + 1) + " is malformed: " + e.getMessage());
            }
            identity.add((PolicyDocument) doc);
        }

        // 1. Explicit deny anywhere wins.
        if (keyPolicy != null) {
            List<PolicyStatement> statements = keyPolicy.statements();
            for (int i = 0; i < statements.size(); i++) {
                PolicyStatement s = statements.get(i);
                if (s.effect() == PolicyStatement.Effect.DENY && principalCovers(s, caller) != Match.NONE
                        && applies(s, action, r.resourceArn(), context)) {
                    return deny(Effect.EXPLICIT_DENY, "with an explicit deny in a resource-based policy",
                            "key policy statement " + s.label(i) + " denies " + action + " to " + r.principalArn());
                }
            }
        }
        for (int d = 0; d < identity.size(); d++) {
            List<PolicyStatement> statements = identity.get(d).statements();
            for (int i = 0; i < statements.size(); i++) {
                PolicyStatement s = statements.get(i);
                if (s.effect() == PolicyStatement.Effect.DENY && applies(s, action, r.resourceArn(), context)) {
                    return deny(Effect.EXPLICIT_DENY, "with an explicit deny in an identity-based policy",
                            "identity policy #" + (d + 1) + " statement " + s.label(i) + " denies " + action);
                }
            }
        }

        // 2. What the caller's identity policies allow (the root user is not limited by them).
        String identityAllow = caller.root() ? "the account root user is not limited by IAM policies" : null;
        for (int d = 0; d < identity.size() && identityAllow == null; d++) {
            List<PolicyStatement> statements = identity.get(d).statements();
            for (int i = 0; i < statements.size(); i++) {
                PolicyStatement s = statements.get(i);
                if (s.effect() == PolicyStatement.Effect.ALLOW && applies(s, action, r.resourceArn(), context)) {
                    identityAllow = "identity policy #" + (d + 1) + " statement " + s.label(i) + " allows " + action;
                    break;
                }
            }
        }
        if (r.keyless()) {
            return identityAllow != null
                    ? allow(identityAllow)
                    : deny(Effect.IMPLICIT_DENY, noIdentityPolicy, "no identity policy of " + r.principalArn()
                    + " allows " + action + " on " + r.resourceArn());
        }

        boolean crossAccount = caller.account() != null && r.resourceAccount() != null
                && !caller.account().equals(r.resourceAccount());
        if (crossAccount && !CROSS_ACCOUNT_OPERATIONS.contains(operation)) {
            return deny(Effect.IMPLICIT_DENY, noResourcePolicy, "KMS does not allow " + action
                    + " on a key in another account (" + r.resourceAccount() + ")");
        }

        // 3. What the key policy allows, and how it names the caller.
        String directAllow = null;
        String accountAllow = null;
        List<PolicyStatement> statements = keyPolicy.statements();
        for (int i = 0; i < statements.size(); i++) {
            PolicyStatement s = statements.get(i);
            if (s.effect() != PolicyStatement.Effect.ALLOW || !applies(s, action, r.resourceArn(), context)) {
                continue;
            }
            Match m = principalCovers(s, caller);
            if (m == Match.DIRECT && directAllow == null) {
                directAllow = "key policy statement " + s.label(i);
            } else if (m == Match.ACCOUNT && accountAllow == null) {
                accountAllow = "key policy statement " + s.label(i);
            }
        }
        if (!crossAccount) {
            if (directAllow != null) {
                return allow(directAllow + " allows " + action + " to " + r.principalArn());
            }
            if (accountAllow != null && identityAllow != null) {
                return allow(accountAllow + " delegates to account " + caller.account() + "'s IAM policies, and "
                        + identityAllow);
            }
        } else if ((directAllow != null || accountAllow != null) && identityAllow != null) {
            return allow("cross-account: " + (directAllow != null ? directAllow : accountAllow) + " allows account "
                    + caller.account() + ", and " + identityAllow);
        }

        // 4. Grants.
        String grant = grantAllowing(r, operation, caller, identityAllow != null);
        if (grant != null) {
            return allow(grant);
        }

        if (directAllow != null || accountAllow != null) {
            return deny(Effect.IMPLICIT_DENY, noIdentityPolicy, (directAllow != null ? directAllow : accountAllow)
                    + " allows " + (crossAccount ? "account " + caller.account() : "the account")
                    + ", but no identity policy of " + r.principalArn() + " allows " + action + " on "
                    + r.resourceArn());
        }
        return deny(Effect.IMPLICIT_DENY, noResourcePolicy, "neither the key policy nor a grant allows " + action
                + " to " + r.principalArn() + (identityAllow != null
                ? " (IAM policies alone cannot give access to a KMS key)" : ""));
    }

    private String grantAllowing(PolicyRequest r, String operation, Caller caller, boolean identityAllows) {
        for (GrantView g : r.grants()) {
            if (g.keyArn() != null && !g.keyArn().equals(r.resourceArn())) {
                continue;
            }
            if (operation.equals("RetireGrant") && g.retiringPrincipal() != null
                    && PrincipalMatcher.matchAws(g.retiringPrincipal(), caller) == Match.DIRECT) {
                return "grant " + g.grantId() + " names " + r.principalArn() + " as its retiring principal";
            }
            if (g.granteePrincipal() == null || !containsIgnoreCase(g.operations(), operation)) {
                continue;
            }
            Match m = PrincipalMatcher.matchAws(g.granteePrincipal(), caller);
            if (m == Match.NONE || (m == Match.ACCOUNT && !identityAllows)) {
                continue;
            }
            if (!UNCONSTRAINED_GRANT_OPERATIONS.contains(operation) && !constraintHolds(g, r.encryptionContext())) {
                continue;
            }
            return "grant " + g.grantId() + " allows " + operation + " to " + g.granteePrincipal();
        }
        return null;
    }

    private static boolean constraintHolds(GrantView g, Map<String, String> requestContext) {
        if (!g.encryptionContextEquals().isEmpty() && !g.encryptionContextEquals().equals(requestContext)) {
            return false;
        }
        for (Map.Entry<String, String> pair : g.encryptionContextSubset().entrySet()) {
            if (!pair.getValue().equals(requestContext.get(pair.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean containsIgnoreCase(Set<String> operations, String operation) {
        for (String op : operations) {
            if (op.equalsIgnoreCase(operation)) {
                return true;
            }
        }
        return false;
    }

    private static Match principalCovers(PolicyStatement s, Caller caller) {
        if (s.principal() == null) {
            return Match.NONE;
        }
        Match m = PrincipalMatcher.match(s.principal(), caller);
        if (s.notPrincipal()) {
            return m == Match.NONE ? Match.DIRECT : Match.NONE;
        }
        return m;
    }

    /** Action, resource and conditions of a statement cover the request (principal aside). */
    private static boolean applies(PolicyStatement s, String action, String resource, Map<String, List<String>> context) {
        boolean actionListed = false;
        for (String pattern : s.actions()) {
            if (Wildcards.matches(pattern, action, true)) {
                actionListed = true;
                break;
            }
        }
        if (actionListed == s.notAction()) {
            return false;
        }
        boolean resourceListed = false;
        for (String pattern : s.resources()) {
            if (pattern.equals("*") || Wildcards.matches(pattern, resource)) {
                resourceListed = true;
                break;
            }
        }
        if (resourceListed == s.notResource()) {
            return false;
        }
        ConditionEvaluator.Outcome outcome = ConditionEvaluator.evaluate(s.conditions(), context);
        return outcome == ConditionEvaluator.Outcome.TRUE
                || (outcome == ConditionEvaluator.Outcome.UNSUPPORTED && s.effect() == PolicyStatement.Effect.DENY);
    }

    private static Map<String, List<String>> context(PolicyRequest r, Caller caller) {
        Map<String, List<String>> ctx = new LinkedHashMap<>();
        r.encryptionContext().forEach((k, v) ->
                ctx.computeIfAbsent(("kms:EncryptionContext:" + k).toLowerCase(Locale.ROOT), x -> new ArrayList<>()).add(v));
        if (!r.encryptionContext().isEmpty()) {
            ctx.put("kms:encryptioncontextkeys", new ArrayList<>(r.encryptionContext().keySet()));
        }
        ctx.put("aws:principalarn", List.of(caller.principalArn()));
        if (caller.account() != null) {
            ctx.put("aws:principalaccount", List.of(caller.account()));
            ctx.put("kms:calleraccount", List.of(caller.account()));
        }
        if (r.resourceAccount() != null) {
            ctx.put("aws:resourceaccount", List.of(r.resourceAccount()));
        }
        // What the caller supplied wins over what is derived.
        r.context().forEach((k, v) -> ctx.put(k.toLowerCase(Locale.ROOT), v));
        return ctx;
    }

    private static String callerAccount(PolicyRequest r) {
        if (r.principalAccount() != null) {
            return r.principalAccount();
        }
        String[] parts = r.principalArn().split(":", 6);
        return parts.length == 6 && parts[4].matches("\\d{12}") ? parts[4] : null;
    }

    private static String operation(String action) {
        int colon = action.indexOf(':');
        return colon < 0 ? action : action.substring(colon + 1);
    }

    private Object parse(String json) {
        Object cached = parsed.get(json);
        if (cached != null) {
            return cached;
        }
        Object result;
        try {
            result = PolicyDocument.parse(json);
        } catch (MalformedPolicyException e) {
            result = e;
        }
        if (parsed.size() >= CACHE_LIMIT) {
            // Policies change rarely; a full reset is simpler than LRU and bounds memory.
            parsed.clear();
        }
        parsed.put(json, result);
        return result;
    }

    private static PolicyDecision allow(String detail) {
        return new PolicyDecision(Effect.ALLOW, "allowed; " + detail);
    }

    private static PolicyDecision deny(Effect effect, String phrase, String detail) {
        return new PolicyDecision(effect, phrase + "; " + detail);
    }
}
