package io.kmswatch.emulator.policy;

import io.kmswatch.emulator.policy.PolicyDecision.Effect;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.kmswatch.emulator.policy.Policies.ACCOUNT_A;
import static io.kmswatch.emulator.policy.Policies.ACCOUNT_B;
import static io.kmswatch.emulator.policy.Policies.ALICE;
import static io.kmswatch.emulator.policy.Policies.APP_ROLE;
import static io.kmswatch.emulator.policy.Policies.APP_SESSION;
import static io.kmswatch.emulator.policy.Policies.ATTACKER;
import static io.kmswatch.emulator.policy.Policies.EXT_ROLE;
import static io.kmswatch.emulator.policy.Policies.IAM_KMS_ALL;
import static io.kmswatch.emulator.policy.Policies.IAM_USE_KEY;
import static io.kmswatch.emulator.policy.Policies.ROOT_A;
import static io.kmswatch.emulator.policy.Policies.ROOT_B;
import static io.kmswatch.emulator.policy.Policies.allow;
import static io.kmswatch.emulator.policy.Policies.deny;
import static io.kmswatch.emulator.policy.Policies.doc;
import static io.kmswatch.emulator.policy.Policies.identity;
import static org.assertj.core.api.Assertions.assertThat;

/** Whatever else the policies and grants say, an applicable explicit Deny wins; without one, none is reported. */
class PolicyEvaluatorProperties {

    private static final List<String> CALLERS = List.of(ALICE, APP_ROLE, APP_SESSION, ROOT_A, EXT_ROLE, ROOT_B, ATTACKER);
    private static final List<String> ACTIONS = List.of("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey",
            "kms:CreateGrant", "kms:DescribeKey", "kms:ScheduleKeyDeletion", "kms:PutKeyPolicy");

    private final PolicyEvaluator evaluator = new PolicyEvaluator();

    /** Where the Deny sits. */
    enum Place { KEY_POLICY, IDENTITY_POLICY }

    @Property(tries = 400)
    void explicitDenyAlwaysWins(@ForAll("callers") String caller, @ForAll("actions") String action,
                                @ForAll @Size(max = 4) List<@From("allowStatements") Map<String, Object>> keyAllows,
                                @ForAll @Size(max = 2) List<@From("identityPolicies") String> identityPolicies,
                                @ForAll boolean grantTheAction, @ForAll boolean keyless,
                                @ForAll Place place, @ForAll("denyPrincipalForms") int principalForm,
                                @ForAll("denyActionForms") int actionForm, @ForAll("denyConditions") int conditionForm) {
        String denyAction = switch (actionForm) {
            case 0 -> action;
            case 1 -> "kms:*";
            case 2 -> "*";
            default -> action.substring(0, 6) + "*";
        };
        Policies.Req req = Policies.Req.of(caller, action);
        List<Map<String, Object>> keyStatements = new ArrayList<>(keyAllows);
        List<String> iam = new ArrayList<>(identityPolicies);
        if (keyless || place == Place.IDENTITY_POLICY) {
            iam.add(doc(condition(identity("Deny", List.of(denyAction), List.of("*")), conditionForm, caller).build()));
        } else {
            String account = caller.split(":")[4];
            String denyPrincipal = switch (principalForm) {
                case 0 -> "*";
                case 1 -> caller;
                default -> "arn:aws:iam::" + account + ":root";
            };
            keyStatements.add(condition(deny(denyPrincipal, List.of(denyAction)), conditionForm, caller).build());
        }
        if (keyless) {
            req.keyless();
        } else {
            req.keyPolicy(keyStatements.isEmpty() ? KeyPolicies.defaultKeyPolicy("aws", ACCOUNT_A)
                    : doc(keyStatements));
        }
        if (grantTheAction) {
            req.grant("g", caller, Set.of(action.substring(4)), Map.of(), Map.of());
        }
        req.iam(iam.toArray(String[]::new)).ctx("aws:SourceIp", "203.0.113.9");

        PolicyDecision decision = evaluator.evaluate(req.build());

        assertThat(decision.effect()).as(decision.reason()).isEqualTo(Effect.EXPLICIT_DENY);
        assertThat(decision.allowed()).isFalse();
    }

    @Property(tries = 300)
    void withoutDenyStatementsNoExplicitDenyIsReported(@ForAll("callers") String caller, @ForAll("actions") String action,
                                                       @ForAll @Size(max = 4) List<@From("allowStatements") Map<String, Object>> keyAllows,
                                                       @ForAll @Size(max = 2) List<@From("identityPolicies") String> identityPolicies,
                                                       @ForAll boolean grantTheAction) {
        Policies.Req req = Policies.Req.of(caller, action)
                .keyPolicy(keyAllows.isEmpty() ? KeyPolicies.defaultKeyPolicy("aws", ACCOUNT_A) : doc(keyAllows))
                .iam(identityPolicies.toArray(String[]::new));
        if (grantTheAction) {
            req.grant("g", caller, Set.of(action.substring(4)), Map.of(), Map.of());
        }

        assertThat(evaluator.evaluate(req.build()).effect()).isNotEqualTo(Effect.EXPLICIT_DENY);
    }

    @Property(tries = 200)
    void aDenyForAnotherActionChangesNothing(@ForAll("callers") String caller, @ForAll("actions") String action,
                                             @ForAll @Size(max = 4) List<@From("allowStatements") Map<String, Object>> keyAllows,
                                             @ForAll @Size(max = 2) List<@From("identityPolicies") String> identityPolicies) {
        List<Map<String, Object>> statements = new ArrayList<>(keyAllows);
        statements.add(allow(ROOT_A, List.of("kms:*")).build());
        PolicyRequest without = Policies.Req.of(caller, action).keyPolicy(doc(statements))
                .iam(identityPolicies.toArray(String[]::new)).build();
        statements.add(deny("*", List.of("kms:GenerateRandom")).build());
        PolicyRequest with = Policies.Req.of(caller, action).keyPolicy(doc(statements))
                .iam(identityPolicies.toArray(String[]::new)).build();

        assertThat(evaluator.evaluate(with).effect()).isEqualTo(evaluator.evaluate(without).effect());
    }

    /** Conditions that hold for the request: none, a matching one, or an unsupported operator (fail closed). */
    private static Policies.Statement condition(Policies.Statement s, int form, String caller) {
        return switch (form) {
            case 0 -> s;
            case 1 -> s.condition("StringEquals", "kms:CallerAccount", caller.split(":")[4]);
            case 2 -> s.condition("NotIpAddress", "aws:SourceIp", "10.0.0.0/8");
            default -> s.condition("StringMatchesRegex", "aws:PrincipalArn", ".*");
        };
    }

    @Provide
    Arbitrary<String> callers() {
        return Arbitraries.of(CALLERS);
    }

    @Provide
    Arbitrary<String> actions() {
        return Arbitraries.of(ACTIONS);
    }

    @Provide
    Arbitrary<Integer> denyPrincipalForms() {
        return Arbitraries.integers().between(0, 2);
    }

    @Provide
    Arbitrary<Integer> denyActionForms() {
        return Arbitraries.integers().between(0, 3);
    }

    @Provide
    Arbitrary<Integer> denyConditions() {
        return Arbitraries.integers().between(0, 3);
    }

    @Provide
    Arbitrary<Map<String, Object>> allowStatements() {
        Arbitrary<String> principals = Arbitraries.of("*", ROOT_A, ACCOUNT_A, ROOT_B, ACCOUNT_B, APP_ROLE, ALICE, EXT_ROLE);
        Arbitrary<List<String>> actions = Arbitraries.of("kms:*", "*", "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*",
                "kms:Create*", "kms:Describe*", "kms:ScheduleKeyDeletion").list().ofMinSize(1).ofMaxSize(3).uniqueElements();
        return Combinators.combine(principals, actions).as((p, a) -> allow(p, a).build());
    }

    @Provide
    Arbitrary<String> identityPolicies() {
        return Arbitraries.of(IAM_KMS_ALL, IAM_USE_KEY);
    }
}
