package io.kmswatch.emulator.policy;

import io.kmswatch.emulator.policy.PolicyDecision.Effect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.kmswatch.emulator.policy.Policies.ACCOUNT_A;
import static io.kmswatch.emulator.policy.Policies.ADMIN_ROLE;
import static io.kmswatch.emulator.policy.Policies.ALICE;
import static io.kmswatch.emulator.policy.Policies.APP_ROLE;
import static io.kmswatch.emulator.policy.Policies.APP_SESSION;
import static io.kmswatch.emulator.policy.Policies.ATTACKER;
import static io.kmswatch.emulator.policy.Policies.CROSS_ACCOUNT_KEY_POLICY;
import static io.kmswatch.emulator.policy.Policies.EXT_ROLE;
import static io.kmswatch.emulator.policy.Policies.GUIDE_KEY_POLICY;
import static io.kmswatch.emulator.policy.Policies.IAM_DENY_DECRYPT;
import static io.kmswatch.emulator.policy.Policies.IAM_KMS_ALL;
import static io.kmswatch.emulator.policy.Policies.IAM_USE_KEY;
import static io.kmswatch.emulator.policy.Policies.KEY;
import static io.kmswatch.emulator.policy.Policies.OTHER_KEY;
import static io.kmswatch.emulator.policy.Policies.ROOT_A;
import static io.kmswatch.emulator.policy.Policies.ROOT_B;
import static io.kmswatch.emulator.policy.Policies.allow;
import static io.kmswatch.emulator.policy.Policies.deny;
import static io.kmswatch.emulator.policy.Policies.doc;
import static io.kmswatch.emulator.policy.Policies.identity;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * AWS's documented KMS authorization rules, one row each: the rule (from the KMS developer guide, the IAM
 * policy evaluation logic, or the project guide), the request, and the expected effect.
 */
class PolicyEvaluatorTest {

    private static final String DEFAULT = KeyPolicies.defaultKeyPolicy("aws", ACCOUNT_A);
    private static final String WITH_ROOT_AND_GUIDE = doc(
            allow(ROOT_A, List.of("kms:*")).sid("Enable IAM User Permissions").build(),
            allow(APP_ROLE, List.of("kms:Encrypt", "kms:Decrypt")).build());

    private final PolicyEvaluator evaluator = new PolicyEvaluator();

    static Stream<Arguments> documentedRules() {
        return Stream.of(
                // --- Key policy and IAM (key-policy-default, "Key Policy vs IAM Policy") ---
                row("default key policy delegates to IAM: same-account user with an IAM allow is allowed",
                        Policies.Req.of(ALICE, "kms:Decrypt").iam(IAM_KMS_ALL), Effect.ALLOW),
                row("default key policy delegates to IAM: without an IAM allow the user is denied",
                        Policies.Req.of(ALICE, "kms:Decrypt"), Effect.IMPLICIT_DENY),
                row("the account root user is allowed by the default key policy and not limited by IAM policies",
                        Policies.Req.of(ROOT_A, "kms:ScheduleKeyDeletion"), Effect.ALLOW),
                row("a key policy naming the role lets it use the key without any IAM policy",
                        Policies.Req.of(APP_ROLE, "kms:Encrypt").keyPolicy(GUIDE_KEY_POLICY), Effect.ALLOW),
                row("a role ARN in the key policy covers the role's assumed-role sessions",
                        Policies.Req.of(APP_SESSION, "kms:Decrypt").keyPolicy(GUIDE_KEY_POLICY), Effect.ALLOW),
                row("key users cannot administer the key (separation of duties)",
                        Policies.Req.of(APP_ROLE, "kms:ScheduleKeyDeletion").keyPolicy(GUIDE_KEY_POLICY),
                        Effect.IMPLICIT_DENY),
                row("key administrators may schedule deletion",
                        Policies.Req.of(ADMIN_ROLE, "kms:ScheduleKeyDeletion").keyPolicy(GUIDE_KEY_POLICY), Effect.ALLOW),
                row("key administrators cannot decrypt (separation of duties)",
                        Policies.Req.of(ADMIN_ROLE, "kms:Decrypt").keyPolicy(GUIDE_KEY_POLICY), Effect.IMPLICIT_DENY),
                row("without the 'Enable IAM policies' statement IAM policies cannot grant any KMS permission",
                        Policies.Req.of(ALICE, "kms:Decrypt").keyPolicy(GUIDE_KEY_POLICY).iam(IAM_KMS_ALL),
                        Effect.IMPLICIT_DENY),
                row("action wildcards match: kms:GenerateDataKey* covers GenerateDataKeyWithoutPlaintext",
                        Policies.Req.of(APP_ROLE, "kms:GenerateDataKeyWithoutPlaintext").keyPolicy(GUIDE_KEY_POLICY),
                        Effect.ALLOW),
                row("action wildcards match: kms:Describe* covers DescribeKey",
                        Policies.Req.of(ADMIN_ROLE, "kms:DescribeKey").keyPolicy(GUIDE_KEY_POLICY), Effect.ALLOW),
                row("action names are case-insensitive",
                        Policies.Req.of(APP_ROLE, "kms:Decrypt").keyPolicy(doc(allow(APP_ROLE, List.of("KMS:decrypt")).build())),
                        Effect.ALLOW),
                row("a bare account id as principal delegates to that account's IAM policies like the root ARN",
                        Policies.Req.of(ALICE, "kms:Encrypt").keyPolicy(doc(allow(ACCOUNT_A, List.of("kms:*")).build()))
                                .iam(IAM_USE_KEY), Effect.ALLOW),
                row("Principal '*' allows any same-account principal directly",
                        Policies.Req.of(ALICE, "kms:Encrypt").keyPolicy(doc(allow("*", List.of("kms:Encrypt")).build())),
                        Effect.ALLOW),
                row("a service principal named in the key policy is allowed",
                        Policies.Req.of("cloudtrail.amazonaws.com", "kms:GenerateDataKey").keyPolicy(doc(
                                Policies.allow(ROOT_A, List.of("kms:*")).build(),
                                new Policies.Statement("Allow").principalMap(Map.of("Service", "cloudtrail.amazonaws.com"))
                                        .actions(List.of("kms:GenerateDataKey*")).build())), Effect.ALLOW),
                row("an IAM policy for another key does not cover this key",
                        Policies.Req.of(ALICE, "kms:Decrypt").iam(doc(identity("Allow", List.of("kms:Decrypt"),
                                List.of(OTHER_KEY)).build())), Effect.IMPLICIT_DENY),
                // --- Explicit deny (Policy Evaluation Logic, quiz) ---
                row("explicit deny in the key policy wins over an allow in the same key policy",
                        Policies.Req.of(APP_ROLE, "kms:Decrypt").keyPolicy(doc(
                                allow(APP_ROLE, List.of("kms:*")).build(), deny(APP_ROLE, List.of("kms:Decrypt")).build())),
                        Effect.EXPLICIT_DENY),
                row("IAM allows kms:Decrypt but the key policy explicitly denies: denied (the guide's quiz)",
                        Policies.Req.of(ALICE, "kms:Decrypt").iam(IAM_KMS_ALL).keyPolicy(doc(
                                allow(ROOT_A, List.of("kms:*")).build(), deny(ALICE, List.of("kms:Decrypt")).build())),
                        Effect.EXPLICIT_DENY),
                row("explicit deny in an identity policy wins even when the key policy names the principal",
                        Policies.Req.of(APP_ROLE, "kms:Decrypt").keyPolicy(GUIDE_KEY_POLICY).iam(IAM_DENY_DECRYPT),
                        Effect.EXPLICIT_DENY),
                row("a Deny to the account root in the key policy denies every principal of that account",
                        Policies.Req.of(APP_ROLE, "kms:Decrypt").keyPolicy(doc(allow(APP_ROLE, List.of("kms:*")).build(),
                                deny(ROOT_A, List.of("kms:Decrypt")).build())), Effect.EXPLICIT_DENY),
                row("Deny with NotAction denies everything but the listed actions",
                        Policies.Req.of(APP_ROLE, "kms:Encrypt").keyPolicy(doc(allow(APP_ROLE, List.of("kms:*")).build(),
                                deny(APP_ROLE, List.of("kms:*")).notActions(List.of("kms:Decrypt")).build())),
                        Effect.EXPLICIT_DENY),
                row("Deny with NotAction leaves the listed action allowed",
                        Policies.Req.of(APP_ROLE, "kms:Decrypt").keyPolicy(doc(allow(APP_ROLE, List.of("kms:*")).build(),
                                deny(APP_ROLE, List.of("kms:*")).notActions(List.of("kms:Decrypt")).build())),
                        Effect.ALLOW),
                row("Deny with NotPrincipal denies everyone but the listed principal",
                        Policies.Req.of(APP_ROLE, "kms:ScheduleKeyDeletion").iam(IAM_KMS_ALL).keyPolicy(doc(
                                allow(ROOT_A, List.of("kms:*")).build(),
                                deny(ADMIN_ROLE, List.of("kms:ScheduleKeyDeletion")).notPrincipal(ADMIN_ROLE).build())),
                        Effect.EXPLICIT_DENY),
                row("Deny with NotPrincipal spares the listed principal",
                        Policies.Req.of(ADMIN_ROLE, "kms:ScheduleKeyDeletion").iam(IAM_KMS_ALL).keyPolicy(doc(
                                allow(ROOT_A, List.of("kms:*")).build(),
                                deny(ADMIN_ROLE, List.of("kms:ScheduleKeyDeletion")).notPrincipal(ADMIN_ROLE).build())),
                        Effect.ALLOW),
                // --- Grants ---
                row("a grant allows its operation to the grantee without any policy change",
                        Policies.Req.of(APP_ROLE, "kms:Decrypt").keyPolicy(GUIDE_KEY_POLICY.replace("AppEncryptionRole", "Other"))
                                .grant("g1", APP_ROLE, Set.of("Decrypt"), Map.of(), Map.of()), Effect.ALLOW),
                row("a grant allows only its operations",
                        Policies.Req.of(ALICE, "kms:Decrypt").grant("g1", ALICE, Set.of("Encrypt"), Map.of(), Map.of()),
                        Effect.IMPLICIT_DENY),
                row("a grant cannot override an explicit deny",
                        Policies.Req.of(ALICE, "kms:Decrypt").iam(IAM_DENY_DECRYPT)
                                .grant("g1", ALICE, Set.of("Decrypt"), Map.of(), Map.of()), Effect.EXPLICIT_DENY),
                row("EncryptionContextSubset holds when the request context contains the grant's pairs",
                        Policies.Req.of(ALICE, "kms:Decrypt").ec("Department", "IT").ec("Project", "Alpha")
                                .grant("g1", ALICE, Set.of("Decrypt"), Map.of("Department", "IT"), Map.of()), Effect.ALLOW),
                row("EncryptionContextSubset fails when a pair is missing or differs",
                        Policies.Req.of(ALICE, "kms:Decrypt").ec("Department", "HR")
                                .grant("g1", ALICE, Set.of("Decrypt"), Map.of("Department", "IT"), Map.of()),
                        Effect.IMPLICIT_DENY),
                row("EncryptionContextEquals holds on an exact match",
                        Policies.Req.of(ALICE, "kms:Encrypt").ec("Department", "IT")
                                .grant("g1", ALICE, Set.of("Encrypt"), Map.of(), Map.of("Department", "IT")), Effect.ALLOW),
                row("EncryptionContextEquals fails when the request carries an extra pair",
                        Policies.Req.of(ALICE, "kms:Encrypt").ec("Department", "IT").ec("Project", "Alpha")
                                .grant("g1", ALICE, Set.of("Encrypt"), Map.of(), Map.of("Department", "IT")),
                        Effect.IMPLICIT_DENY),
                row("encryption-context constraints do not apply to DescribeKey",
                        Policies.Req.of(ALICE, "kms:DescribeKey")
                                .grant("g1", ALICE, Set.of("DescribeKey"), Map.of(), Map.of("Department", "IT")),
                        Effect.ALLOW),
                row("a grant on another key does not apply",
                        Policies.Req.of(ALICE, "kms:Decrypt").grant(new GrantView("g1", OTHER_KEY, ALICE, null,
                                Set.of("Decrypt"), Map.of(), Map.of())), Effect.IMPLICIT_DENY),
                row("a grant lets a principal of another account use the key with no IAM policy",
                        Policies.Req.of(ATTACKER, "kms:Decrypt").grant("g1", ATTACKER, Set.of("Decrypt"), Map.of(), Map.of()),
                        Effect.ALLOW),
                row("a grant to an account needs that account's IAM policies",
                        Policies.Req.of(EXT_ROLE, "kms:Decrypt").grant("g1", ROOT_B, Set.of("Decrypt"), Map.of(), Map.of()),
                        Effect.IMPLICIT_DENY),
                row("the retiring principal may retire the grant",
                        Policies.Req.of(ADMIN_ROLE, "kms:RetireGrant").keyPolicy(GUIDE_KEY_POLICY).grant(
                                new GrantView("g1", KEY, APP_ROLE, ADMIN_ROLE, Set.of("Decrypt"), Map.of(), Map.of())),
                        Effect.ALLOW),
                // --- Cross-account (key-policy-modifying-external-accounts, the guide's two-sided handshake) ---
                row("cross-account: key policy allows the external account and its IAM policy allows: allowed",
                        Policies.Req.of(EXT_ROLE, "kms:Encrypt").keyPolicy(CROSS_ACCOUNT_KEY_POLICY).iam(IAM_USE_KEY),
                        Effect.ALLOW),
                row("cross-account: key policy allows the external account but its IAM policy does not: denied",
                        Policies.Req.of(EXT_ROLE, "kms:Encrypt").keyPolicy(CROSS_ACCOUNT_KEY_POLICY), Effect.IMPLICIT_DENY),
                row("cross-account: IAM allows but the key policy does not name the external account: denied",
                        Policies.Req.of(EXT_ROLE, "kms:Decrypt").iam(IAM_USE_KEY), Effect.IMPLICIT_DENY),
                row("cross-account: naming the external role directly still needs its IAM policy",
                        Policies.Req.of(EXT_ROLE, "kms:Decrypt").keyPolicy(doc(allow(EXT_ROLE, List.of("kms:Decrypt")).build())),
                        Effect.IMPLICIT_DENY),
                row("cross-account: named role plus its IAM policy: allowed",
                        Policies.Req.of(EXT_ROLE, "kms:Decrypt").keyPolicy(doc(allow(EXT_ROLE, List.of("kms:Decrypt")).build()))
                                .iam(IAM_USE_KEY), Effect.ALLOW),
                row("cross-account: administrative operations are never allowed to another account",
                        Policies.Req.of(EXT_ROLE, "kms:ScheduleKeyDeletion").keyPolicy(doc(allow(ROOT_B, List.of("kms:*")).build()))
                                .iam(IAM_KMS_ALL), Effect.IMPLICIT_DENY),
                row("cross-account: the external account's root user needs only the key policy",
                        Policies.Req.of(ROOT_B, "kms:Decrypt").keyPolicy(CROSS_ACCOUNT_KEY_POLICY), Effect.ALLOW),
                row("cross-account: CreateGrant allowed when kms:GrantIsForAWSResource is true",
                        Policies.Req.of(EXT_ROLE, "kms:CreateGrant").keyPolicy(CROSS_ACCOUNT_KEY_POLICY).iam(IAM_KMS_ALL)
                                .ctx("kms:GrantIsForAWSResource", "true"), Effect.ALLOW),
                row("cross-account: CreateGrant denied when kms:GrantIsForAWSResource is false",
                        Policies.Req.of(EXT_ROLE, "kms:CreateGrant").keyPolicy(CROSS_ACCOUNT_KEY_POLICY).iam(IAM_KMS_ALL)
                                .ctx("kms:GrantIsForAWSResource", "false"), Effect.IMPLICIT_DENY),
                row("cross-account: CreateGrant denied when kms:GrantIsForAWSResource is absent (Bool on a missing key)",
                        Policies.Req.of(EXT_ROLE, "kms:CreateGrant").keyPolicy(CROSS_ACCOUNT_KEY_POLICY).iam(IAM_KMS_ALL),
                        Effect.IMPLICIT_DENY),
                row("cross-account: a principal of an account the key policy never names is denied",
                        Policies.Req.of(ATTACKER, "kms:Decrypt").keyPolicy(CROSS_ACCOUNT_KEY_POLICY).iam(IAM_KMS_ALL),
                        Effect.IMPLICIT_DENY),
                // --- Keyless actions: IAM alone ---
                row("keyless CreateKey is allowed by an IAM policy alone",
                        Policies.Req.of(ALICE, "kms:CreateKey").keyless().iam(IAM_KMS_ALL), Effect.ALLOW),
                row("keyless CreateKey without an IAM policy is denied",
                        Policies.Req.of(ALICE, "kms:CreateKey").keyless(), Effect.IMPLICIT_DENY),
                row("keyless ListKeys needs Resource '*': an allow on one key ARN does not cover it",
                        Policies.Req.of(ALICE, "kms:ListKeys").keyless().iam(doc(identity("Allow", List.of("kms:*"),
                                List.of(KEY)).build())), Effect.IMPLICIT_DENY),
                row("keyless GenerateRandom with an explicit IAM deny is denied",
                        Policies.Req.of(ALICE, "kms:GenerateRandom").keyless().iam(IAM_KMS_ALL,
                                doc(identity("Deny", List.of("kms:GenerateRandom"), List.of("*")).build())),
                        Effect.EXPLICIT_DENY),
                // --- Conditions ---
                row("kms:EncryptionContext:<k> StringEquals matches the request's context",
                        Policies.Req.of(APP_ROLE, "kms:Decrypt").ec("Department", "IT").keyPolicy(doc(allow(APP_ROLE,
                                List.of("kms:Decrypt")).condition("StringEquals", "kms:EncryptionContext:Department", "IT").build())),
                        Effect.ALLOW),
                row("kms:EncryptionContext:<k> StringEquals with another value does not match",
                        Policies.Req.of(APP_ROLE, "kms:Decrypt").ec("Department", "HR").keyPolicy(doc(allow(APP_ROLE,
                                List.of("kms:Decrypt")).condition("StringEquals", "kms:EncryptionContext:Department", "IT").build())),
                        Effect.IMPLICIT_DENY),
                row("condition key names are case-insensitive",
                        Policies.Req.of(APP_ROLE, "kms:Decrypt").ec("Department", "IT").keyPolicy(doc(allow(APP_ROLE,
                                List.of("kms:Decrypt")).condition("StringEquals", "KMS:encryptioncontext:department", "IT").build())),
                        Effect.ALLOW),
                row("StringLike with a wildcard on the encryption context",
                        Policies.Req.of(APP_ROLE, "kms:Decrypt").ec("app", "web-frontend").keyPolicy(doc(allow(APP_ROLE,
                                List.of("kms:Decrypt")).condition("StringLike", "kms:EncryptionContext:app", "web-*").build())),
                        Effect.ALLOW),
                row("ForAllValues:StringEquals on kms:EncryptionContextKeys allows only listed keys",
                        Policies.Req.of(APP_ROLE, "kms:Encrypt").ec("Project", "A").ec("Secret", "x").keyPolicy(doc(allow(APP_ROLE,
                                List.of("kms:Encrypt")).condition("ForAllValues:StringEquals", "kms:EncryptionContextKeys",
                                "Department", "Project").build())), Effect.IMPLICIT_DENY),
                row("ForAnyValue:StringEquals on kms:EncryptionContextKeys needs one listed key",
                        Policies.Req.of(APP_ROLE, "kms:Encrypt").ec("Project", "A").ec("Other", "x").keyPolicy(doc(allow(APP_ROLE,
                                List.of("kms:Encrypt")).condition("ForAnyValue:StringEquals", "kms:EncryptionContextKeys",
                                "Department", "Project").build())), Effect.ALLOW),
                row("Null condition: Deny when no encryption context is supplied",
                        Policies.Req.of(APP_ROLE, "kms:Encrypt").keyPolicy(doc(allow(APP_ROLE, List.of("kms:Encrypt")).build(),
                                deny("*", List.of("kms:Encrypt")).condition("Null", "kms:EncryptionContextKeys", "true").build())),
                        Effect.EXPLICIT_DENY),
                row("kms:CallerAccount restricts Principal '*' to one account: own account allowed",
                        Policies.Req.of(ALICE, "kms:Encrypt").keyPolicy(doc(allow("*", List.of("kms:Encrypt"))
                                .condition("StringEquals", "kms:CallerAccount", ACCOUNT_A).build())), Effect.ALLOW),
                row("kms:CallerAccount restricts Principal '*' to one account: another account denied even with IAM",
                        Policies.Req.of(EXT_ROLE, "kms:Encrypt").iam(IAM_KMS_ALL).keyPolicy(doc(allow("*", List.of("kms:Encrypt"))
                                .condition("StringEquals", "kms:CallerAccount", ACCOUNT_A).build())), Effect.IMPLICIT_DENY),
                row("kms:ViaService: allowed when the call comes through the named service",
                        Policies.Req.of(ALICE, "kms:Decrypt").ctx("kms:ViaService", "s3.us-east-1.amazonaws.com")
                                .keyPolicy(doc(allow(ALICE, List.of("kms:Decrypt")).condition("StringEquals",
                                        "kms:ViaService", "s3.us-east-1.amazonaws.com").build())), Effect.ALLOW),
                row("kms:ViaService: denied on a direct call (key absent)",
                        Policies.Req.of(ALICE, "kms:Decrypt").keyPolicy(doc(allow(ALICE, List.of("kms:Decrypt"))
                                .condition("StringEquals", "kms:ViaService", "s3.us-east-1.amazonaws.com").build())),
                        Effect.IMPLICIT_DENY),
                row("StringEqualsIfExists holds when the key is absent",
                        Policies.Req.of(ALICE, "kms:Decrypt").keyPolicy(doc(allow(ALICE, List.of("kms:Decrypt"))
                                .condition("StringEqualsIfExists", "kms:ViaService", "s3.us-east-1.amazonaws.com").build())),
                        Effect.ALLOW),
                row("aws:SourceIp outside the corporate range hits a NotIpAddress Deny",
                        Policies.Req.of(ALICE, "kms:Decrypt").iam(IAM_KMS_ALL).ctx("aws:SourceIp", "203.0.113.9")
                                .keyPolicy(doc(allow(ROOT_A, List.of("kms:*")).build(), deny("*", List.of("kms:*"))
                                        .condition("NotIpAddress", "aws:SourceIp", "10.0.0.0/8").build())), Effect.EXPLICIT_DENY),
                row("aws:SourceIp inside the corporate range escapes the NotIpAddress Deny",
                        Policies.Req.of(ALICE, "kms:Decrypt").iam(IAM_KMS_ALL).ctx("aws:SourceIp", "10.1.2.3")
                                .keyPolicy(doc(allow(ROOT_A, List.of("kms:*")).build(), deny("*", List.of("kms:*"))
                                        .condition("NotIpAddress", "aws:SourceIp", "10.0.0.0/8").build())), Effect.ALLOW),
                row("IpAddress matches an IPv6 CIDR",
                        Policies.Req.of(ALICE, "kms:Decrypt").ctx("aws:SourceIp", "2001:db8:1234::1")
                                .keyPolicy(doc(allow(ALICE, List.of("kms:Decrypt")).condition("IpAddress", "aws:SourceIp",
                                        "2001:db8::/32").build())), Effect.ALLOW),
                row("ArnLike on aws:PrincipalArn matches an assumed-role session through its role ARN",
                        Policies.Req.of(APP_SESSION, "kms:Decrypt").keyPolicy(doc(allow("*", List.of("kms:Decrypt"))
                                .condition("ArnLike", "aws:PrincipalArn", "arn:aws:iam::" + ACCOUNT_A + ":role/App*").build())),
                        Effect.ALLOW),
                row("NumericLessThan Deny blocks a short deletion window",
                        Policies.Req.of(ROOT_A, "kms:ScheduleKeyDeletion").ctx("kms:ScheduleKeyDeletionPendingWindowInDays", "7")
                                .keyPolicy(doc(allow(ROOT_A, List.of("kms:*")).build(), deny("*", List.of("kms:ScheduleKeyDeletion"))
                                        .condition("NumericLessThan", "kms:ScheduleKeyDeletionPendingWindowInDays", "30").build())),
                        Effect.EXPLICIT_DENY),
                row("an unsupported operator in a Deny fails closed: the Deny applies",
                        Policies.Req.of(ALICE, "kms:Decrypt").iam(IAM_KMS_ALL).keyPolicy(doc(allow(ROOT_A, List.of("kms:*")).build(),
                                deny("*", List.of("kms:Decrypt")).condition("StringMatchesRegex", "aws:PrincipalArn", ".*").build())),
                        Effect.EXPLICIT_DENY),
                row("an unsupported operator in an Allow does not match",
                        Policies.Req.of(ALICE, "kms:Decrypt").keyPolicy(doc(allow(ALICE, List.of("kms:Decrypt"))
                                .condition("StringMatchesRegex", "aws:PrincipalArn", ".*").build())), Effect.IMPLICIT_DENY),
                row("a malformed key policy denies",
                        Policies.Req.of(ROOT_A, "kms:Decrypt").keyPolicy("{\"Statement\": 5}"), Effect.IMPLICIT_DENY),
                row("key policy with root delegation plus a direct user: IAM not needed for the named role",
                        Policies.Req.of(APP_ROLE, "kms:Encrypt").keyPolicy(WITH_ROOT_AND_GUIDE), Effect.ALLOW));
    }

    private static Arguments row(String rule, Policies.Req request, Effect expected) {
        return Arguments.of(rule, request.build(), expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("documentedRules")
    void shouldDecideAsAwsDocuments(String rule, PolicyRequest request, Effect expected) {
        PolicyDecision decision = evaluator.evaluate(request);

        assertThat(decision.effect()).as(rule + " — reason: " + decision.reason()).isEqualTo(expected);
        assertThat(decision.reason()).isNotBlank();
    }

    @Test
    void shouldHaveAtLeastFortyDocumentedRules() {
        assertThat(documentedRules().count()).isGreaterThanOrEqualTo(40);
    }

    @Test
    void shouldExplainDenialInAwsWords() {
        PolicyDecision decision = evaluator.evaluate(Policies.Req.of(ALICE, "kms:Decrypt").keyPolicy(GUIDE_KEY_POLICY).build());

        assertThat(decision.allowed()).isFalse();
        assertThat(decision.accessDeniedMessage(ALICE, "kms:Decrypt", KEY)).isEqualTo("User: " + ALICE
                + " is not authorized to perform: kms:Decrypt on resource: " + KEY
                + " because no resource-based policy allows the kms:Decrypt action");
    }

    @Test
    void shouldNameTheDenyingStatementInTheReason() {
        PolicyDecision decision = evaluator.evaluate(Policies.Req.of(APP_ROLE, "kms:Decrypt").keyPolicy(doc(
                allow(APP_ROLE, List.of("kms:*")).build(),
                deny(APP_ROLE, List.of("kms:Decrypt")).sid("NoDecrypt").build())).build());

        assertThat(decision.reason()).startsWith("with an explicit deny in a resource-based policy").contains("'NoDecrypt'");
        assertThat(decision.accessDeniedMessage(APP_ROLE, "kms:Decrypt", KEY))
                .endsWith("on resource: " + KEY + " with an explicit deny in a resource-based policy");
    }

    @Test
    void shouldSayIdentityPolicyIsMissingWhenKeyPolicyDelegates() {
        PolicyDecision decision = evaluator.evaluate(Policies.Req.of(ALICE, "kms:Decrypt").build());

        assertThat(decision.reason()).startsWith("because no identity-based policy allows the kms:Decrypt action");
    }

    @Test
    void shouldGiveSameDecisionForCachedPolicies() {
        PolicyRequest request = Policies.Req.of(EXT_ROLE, "kms:Encrypt").keyPolicy(CROSS_ACCOUNT_KEY_POLICY)
                .iam(IAM_USE_KEY).build();

        assertThat(evaluator.evaluate(request)).isEqualTo(evaluator.evaluate(request));
    }
}
