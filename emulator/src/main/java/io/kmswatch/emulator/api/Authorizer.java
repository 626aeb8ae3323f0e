package io.kmswatch.emulator.api;

import io.kmswatch.emulator.policy.GrantView;
import io.kmswatch.emulator.policy.PolicyDecision;
import io.kmswatch.emulator.policy.PolicyEvaluator;
import io.kmswatch.emulator.policy.PolicyRequest;
import io.kmswatch.emulator.state.Grant;
import io.kmswatch.emulator.state.KeyStore;
import io.kmswatch.emulator.state.KmsKey;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks the {@link PolicyEvaluator} whether a caller may perform an action on a key, supplying the key policy,
 * the caller's IAM policies, the key's grants and the request's condition keys ({@code kms:CallerAccount},
 * {@code kms:ViaService}, {@code aws:SourceIp}, {@code aws:PrincipalArn}, {@code aws:PrincipalAccount},
 * {@code aws:CurrentTime} and {@code aws:EpochTime} on the emulator clock, encryption context keys). Cross-account evaluation (key policy AND the caller's IAM policy) is the
 * evaluator's; this class only turns a denial into AWS's {@code AccessDeniedException}.
 */
public final class Authorizer {
    private final PolicyEvaluator evaluator;
    private final KeyStore store;

    public Authorizer(PolicyEvaluator evaluator, KeyStore store) {
        this.evaluator = evaluator;
        this.store = store;
    }

    /**
     * Authorizes {@code action} (e.g. {@code kms:Decrypt}) on {@code key}, or on no key when {@code key} is null.
     *
     * @param grants null to use all of the key's grants, or the grants to consider (RetireGrant passes one)
     * @throws KmsServiceException AccessDeniedException when not allowed
     */
    public void authorize(CallContext ctx, KmsKey key, String action, Map<String, String> encryptionContext,
                          Map<String, List<String>> extraContext, List<Grant> grants) {
        Caller c = ctx.caller();
        Map<String, List<String>> context = new LinkedHashMap<>();
        context.put("kms:CallerAccount", List.of(c.accountId()));
        context.put("aws:PrincipalArn", List.of(c.policyArn()));
        context.put("aws:PrincipalAccount", List.of(c.accountId()));
        context.put("aws:PrincipalType", List.of(c.type()));
        // Global keys AWS puts in every request context, on the emulator clock: without them a policy that
        // denies after a date ("DateGreaterThan aws:CurrentTime") would never deny.
        Instant now = ctx.now() != null ? ctx.now() : ctx.services().clock().instant();
        context.put("aws:CurrentTime", List.of(now.truncatedTo(ChronoUnit.SECONDS).toString()));
        context.put("aws:EpochTime", List.of(Long.toString(now.getEpochSecond())));
        if (ctx.viaService() != null) {
            context.put("kms:ViaService", List.of(ctx.viaServiceCondition()));
            context.put("aws:ViaAWSService", List.of("true"));
        } else {
            context.put("aws:SourceIp", List.of(ctx.sourceIp()));
            context.put("aws:ViaAWSService", List.of("false"));
        }
        if (extraContext != null) {
            context.putAll(extraContext);
        }
        List<GrantView> views = new ArrayList<>();
        if (key != null) {
            for (Grant g : grants != null ? grants : store.grants(key.arn())) {
                views.add(new GrantView(g.grantId(), g.keyArn(), g.granteePrincipal(), g.retiringPrincipal(),
                        new HashSet<>(g.operations()), g.encryptionContextSubset(), g.encryptionContextEquals()));
            }
        }
        PolicyRequest request = new PolicyRequest(c.arn(), c.accountId(), action, key == null ? "*" : key.arn(),
                key == null ? null : key.accountId(), key == null ? null : key.policy(), c.identityPolicies(),
                views, context, encryptionContext);
        PolicyDecision decision = evaluator.evaluate(request);
        if (!decision.allowed()) {
            throw new KmsServiceException(KmsErrorCode.ACCESS_DENIED,
                    decision.accessDeniedMessage(c.arn(), action, key == null ? "*" : key.arn()));
        }
    }
}
