package io.kmswatch.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.kmswatch.events.CloudTrailEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsResponse;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.GrantOperation;
import software.amazon.awssdk.services.kms.model.KmsException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * AWS's documented KMS authorization rules, one row each, decided by the emulator for a real SDK {@link KmsClient}
 * over HTTP: the row's key policy is set on a new key, its IAM policy is the calling principal's (every row has
 * its own principal, so IAM policies never mix), its grants are created by the key's administrator, and the call
 * must succeed (ALLOW) or fail with {@code AccessDeniedException} (DENY), with a CloudTrail record saying the same.
 *
 * <p>Rows name the rule and where AWS states it: the KMS developer guide ({@code key-policies},
 * {@code key-policy-default}, {@code key-policy-modifying-external-accounts}, {@code grants},
 * {@code grant-authorization}, {@code conditions-kms}, {@code policy-conditions}) and the IAM user guide
 * ({@code reference_policies_evaluation-logic}, {@code reference_policies_elements_condition_operators},
 * {@code reference_policies_condition-keys}, {@code reference_policies_variables}). Together they use every
 * condition operator the evaluator knows (checked by {@link #shouldUseEveryConditionOperatorTheEvaluatorKnows}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyTableIT {
    private static final String A = EmulatorFixture.ACCOUNT_A;
    private static final String B = EmulatorFixture.ACCOUNT_B;
    private static final String ADMIN_ARN = "arn:aws:iam::" + A + ":user/admin";
    private static final String NOBODY_ARN = "arn:aws:iam::" + A + ":user/nobody";

    /** Every operator of {@code ConditionEvaluator}; each must be the operator of some row's condition. */
    private static final List<String> OPERATORS = List.of("StringEquals", "StringNotEquals", "StringEqualsIgnoreCase",
            "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike", "NumericEquals", "NumericNotEquals",
            "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals", "DateEquals",
            "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals", "Bool",
            "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null");
    /** The modifiers and policy variables; each must appear in some row's condition too. */
    private static final List<String> MODIFIERS = List.of("IfExists\"", "\"ForAnyValue:", "\"ForAllValues:", "${aws:");

    // --- statements used by many rows ----------------------------------------------------------------------------

    /** The key's administrator: lets the test create keys, grants and ciphertexts whatever else the policy says. */
    private static final String ADMIN = stmt("Allow", aws(ADMIN_ARN), "\"kms:*\"", null);
    /** "Enable IAM User Permissions" of account A (the default key policy's statement). */
    private static final String IAM_A = stmt("Allow", aws("arn:aws:iam::" + A + ":root"), "\"kms:*\"", null);
    private static final String IAM_KMS_ALL = iamPolicy(stmt("Allow", null, "\"kms:*\"", null));
    private static final String USE = actions("kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey");
    private static final Map<String, String> DEPT_IT = Map.of("Dept", "IT");

    static final List<Row> ROWS = List.of(
            // --- key policy and IAM policies ----------------------------------------------------------------------
            row("a same-account user is allowed by its IAM policy when the default key policy delegates to the account",
                    "key-policy-default: allows access to the AWS account and enables IAM policies")
                    .iam(IAM_KMS_ALL).allow(),
            row("under the default key policy a user without an IAM policy is denied",
                    "key-policy-default: IAM policies must grant the permission")
                    .deny(),
            row("a key policy naming the user is enough without any IAM policy",
                    "key-policies: the key policy alone can give access")
                    .keyPolicy(ADMIN, stmt("Allow", aws("{caller}"), USE, null)).op(Op.DECRYPT).allow(),
            row("without the account delegation, an IAM policy allowing kms:* gives nothing",
                    "control-access: IAM policies by themselves are not sufficient to allow access to a KMS key")
                    .keyPolicy(ADMIN).iam(IAM_KMS_ALL).deny(),
            row("an explicit Deny in the key policy wins over its Allow and an IAM Allow",
                    "reference_policies_evaluation-logic: an explicit deny in any policy overrides any allow")
                    .keyPolicy(ADMIN, IAM_A, stmt("Allow", aws("{caller}"), USE, null),
                            stmt("Deny", aws("{caller}"), "\"kms:Decrypt\"", null))
                    .iam(IAM_KMS_ALL).op(Op.DECRYPT).deny(),
            row("an explicit Deny in the IAM policy wins over a key policy naming the user",
                    "reference_policies_evaluation-logic: an explicit deny in any policy overrides any allow")
                    .keyPolicy(ADMIN, stmt("Allow", aws("{caller}"), USE, null))
                    .iam(iamPolicy(stmt("Deny", null, "\"kms:Encrypt\"", null))).deny(),
            row("an explicit Deny wins over a grant",
                    "grants: a grant cannot override an explicit deny in the key policy")
                    .keyPolicy(ADMIN, stmt("Deny", aws("{caller}"), "\"kms:Decrypt\"", null))
                    .grant(Grant.to("{caller}", "Decrypt")).op(Op.DECRYPT).deny(),
            row("a role named in the key policy covers its assumed-role sessions",
                    "key-policies: specifying an IAM role as principal applies to its role sessions")
                    .who(Who.SESSION_A).keyPolicy(ADMIN, stmt("Allow", aws("{caller}"), USE, null)).allow(),
            row("an action the key policy does not list is denied",
                    "key-policies: only the listed actions are allowed")
                    .keyPolicy(ADMIN, stmt("Allow", aws("{caller}"), "\"kms:Encrypt\"", null)).op(Op.DECRYPT).deny(),
            row("a wildcard action covers the operations it matches",
                    "key-policies: kms:GenerateDataKey* covers GenerateDataKey")
                    .keyPolicy(ADMIN, stmt("Allow", aws("{caller}"), "\"kms:GenerateDataKey*\"", null))
                    .op(Op.GENERATE_DATA_KEY).allow(),
            row("a Deny with NotAction denies every action but the listed one",
                    "reference_policies_elements_notaction: Deny with NotAction")
                    .keyPolicy(ADMIN, stmt("Allow", aws("{caller}"), USE, null),
                            "{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"{caller}\"},\"NotAction\":\"kms:Encrypt\","
                                    + "\"Resource\":\"*\"}")
                    .op(Op.DECRYPT).deny(),
            row("a Deny with NotAction leaves the listed action to the Allow",
                    "reference_policies_elements_notaction: Deny with NotAction")
                    .keyPolicy(ADMIN, stmt("Allow", aws("{caller}"), USE, null),
                            "{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"{caller}\"},\"NotAction\":\"kms:Encrypt\","
                                    + "\"Resource\":\"*\"}")
                    .allow(),
            row("Principal * limited by kms:CallerAccount lets every principal of that account in",
                    "conditions-kms: kms:CallerAccount with Principal \"*\"")
                    .keyPolicy(ADMIN, stmt("Allow", "{\"AWS\":\"*\"}", USE,
                            cond("StringEquals", "kms:CallerAccount", A))).allow(),
            row("Principal * limited by kms:CallerAccount keeps other accounts out, whatever their IAM policies",
                    "conditions-kms: kms:CallerAccount with Principal \"*\"")
                    .who(Who.USER_B).keyPolicy(ADMIN, stmt("Allow", "{\"AWS\":\"*\"}", USE,
                            cond("StringEquals", "kms:CallerAccount", A))).iam(IAM_KMS_ALL).deny(),
            row("the account root user is allowed by the default key policy and not limited by IAM policies",
                    "key-policy-default: allows access to the AWS account root user")
                    .who(Who.ROOT_A).op(Op.DISABLE_KEY).allow(),
            row("the account root user is denied when the key policy does not allow it",
                    "key-policy-default: without the root statement the key can become unmanageable")
                    .who(Who.ROOT_A).keyPolicy(ADMIN).op(Op.DESCRIBE_KEY).deny(),
            row("key administrators may manage the key",
                    "key-policy-default: allows key administrators to administer the KMS key")
                    .keyPolicy(ADMIN, stmt("Allow", aws("{caller}"), actions("kms:Create*", "kms:Describe*",
                            "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*",
                            "kms:Get*", "kms:Delete*", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"), null))
                    .op(Op.DISABLE_KEY).allow(),
            row("key administrators may not use the key",
                    "key-policy-default: key administrators cannot use the key in cryptographic operations")
                    .keyPolicy(ADMIN, stmt("Allow", aws("{caller}"), actions("kms:Create*", "kms:Describe*",
                            "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*",
                            "kms:Get*", "kms:Delete*", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"), null))
                    .op(Op.DECRYPT).deny(),

            // --- cross-account ------------------------------------------------------------------------------------
            row("another account's user is allowed when the key policy allows its account and its IAM policy allows",
                    "key-policy-modifying-external-accounts: both the key policy and an IAM policy are required")
                    .who(Who.USER_B).keyPolicy(ADMIN, IAM_A, stmt("Allow", aws("arn:aws:iam::" + B + ":root"), USE, null))
                    .iam(IAM_KMS_ALL).allow(),
            row("another account's user without an IAM policy is denied even when the key policy allows its account",
                    "key-policy-modifying-external-accounts: the external account must delegate with IAM policies")
                    .who(Who.USER_B).keyPolicy(ADMIN, IAM_A, stmt("Allow", aws("arn:aws:iam::" + B + ":root"), USE, null))
                    .deny(),
            row("another account's IAM policy alone gives nothing when the key policy does not mention the account",
                    "key-policy-modifying-external-accounts: the key policy must allow the external account")
                    .who(Who.USER_B).keyPolicy(ADMIN, IAM_A).iam(IAM_KMS_ALL).deny(),
            row("a key policy naming another account's user still needs that user's IAM policy",
                    "key-policy-modifying-external-accounts: both sides, even for a named external user")
                    .who(Who.USER_B).keyPolicy(ADMIN, stmt("Allow", aws("{caller}"), USE, null)).op(Op.DECRYPT).deny(),
            row("a key policy naming another account's user, plus that user's IAM policy, allows",
                    "key-policy-modifying-external-accounts: both sides")
                    .who(Who.USER_B).keyPolicy(ADMIN, stmt("Allow", aws("{caller}"), USE, null)).iam(IAM_KMS_ALL)
                    .op(Op.DECRYPT).allow(),
            row("the external IAM policy must name the key: a Resource of the key's account matches",
                    "iam-policies: specify the KMS key ARN in the Resource element")
                    .who(Who.USER_B).keyPolicy(ADMIN, stmt("Allow", aws("arn:aws:iam::" + B + ":root"), USE, null))
                    .iam(iamPolicy("{\"Effect\":\"Allow\",\"Action\":\"kms:Encrypt\",\"Resource\":\"arn:aws:kms:*:"
                            + A + ":key/*\"}")).allow(),
            row("the external IAM policy must name the key: a Resource of another account does not match",
                    "iam-policies: specify the KMS key ARN in the Resource element")
                    .who(Who.USER_B).keyPolicy(ADMIN, stmt("Allow", aws("arn:aws:iam::" + B + ":root"), USE, null))
                    .iam(iamPolicy("{\"Effect\":\"Allow\",\"Action\":\"kms:Encrypt\",\"Resource\":\"arn:aws:kms:*:"
                            + "999999999999:key/*\"}")).deny(),
            row("DescribeKey is one of the operations another account may be allowed",
                    "key-policy-modifying-external-accounts: operations usable with a key in another account")
                    .who(Who.USER_B).keyPolicy(ADMIN, stmt("Allow", aws("arn:aws:iam::" + B + ":root"), "\"kms:*\"", null))
                    .iam(IAM_KMS_ALL).op(Op.DESCRIBE_KEY).allow(),

            // --- grants -------------------------------------------------------------------------------------------
            row("a grant lets its grantee use the granted operation with no policy",
                    "grants: the grantee can use the permissions in the grant")
                    .keyPolicy(ADMIN).grant(Grant.to("{caller}", "Encrypt")).allow(),
            row("a grant does not allow operations it does not list",
                    "grants: a grant allows only its grant operations")
                    .keyPolicy(ADMIN).grant(Grant.to("{caller}", "Encrypt")).op(Op.DECRYPT).deny(),
            row("an EncryptionContextSubset constraint holds when the request's context contains its pairs",
                    "grant-constraints: EncryptionContextSubset")
                    .keyPolicy(ADMIN).grant(Grant.to("{caller}", "Encrypt").subset(DEPT_IT))
                    .context(Map.of("Dept", "IT", "Project", "x")).allow(),
            row("an EncryptionContextSubset constraint fails when a pair differs",
                    "grant-constraints: EncryptionContextSubset")
                    .keyPolicy(ADMIN).grant(Grant.to("{caller}", "Encrypt").subset(DEPT_IT))
                    .context(Map.of("Dept", "HR")).deny(),
            row("an EncryptionContextEquals constraint holds for exactly its context",
                    "grant-constraints: EncryptionContextEquals")
                    .keyPolicy(ADMIN).grant(Grant.to("{caller}", "Decrypt").equalTo(DEPT_IT))
                    .op(Op.DECRYPT).context(DEPT_IT).allow(),
            row("an EncryptionContextEquals constraint fails for a context with an extra pair",
                    "grant-constraints: EncryptionContextEquals")
                    .keyPolicy(ADMIN).grant(Grant.to("{caller}", "Decrypt").equalTo(DEPT_IT))
                    .op(Op.DECRYPT).context(Map.of("Dept", "IT", "Project", "x")).deny(),
            row("grant constraints do not apply to DescribeKey",
                    "grant-constraints: constraints apply only to cryptographic operations")
                    .keyPolicy(ADMIN).grant(Grant.to("{caller}", "DescribeKey").equalTo(DEPT_IT))
                    .op(Op.DESCRIBE_KEY).allow(),
            row("a grant to another account's user works without that user's IAM policy",
                    "grants: the grantee principal can be in a different AWS account")
                    .who(Who.USER_B).keyPolicy(ADMIN).grant(Grant.to("{caller}", "Encrypt")).allow(),
            row("a grant to another account needs that account's IAM policy",
                    "grant-authorization: a grant to an account root needs IAM policies in that account")
                    .who(Who.USER_B).keyPolicy(ADMIN).grant(Grant.to("arn:aws:iam::" + B + ":root", "Encrypt")).deny(),
            row("a grant to another account, with the user's IAM policy, allows",
                    "grant-authorization: a grant to an account root needs IAM policies in that account")
                    .who(Who.USER_B).keyPolicy(ADMIN).grant(Grant.to("arn:aws:iam::" + B + ":root", "Encrypt"))
                    .iam(IAM_KMS_ALL).allow(),
            row("a grant's retiring principal may retire it",
                    "grant-manage: retiring principal")
                    .keyPolicy(ADMIN).grant(Grant.to(NOBODY_ARN, "Encrypt").retiredBy("{caller}")).op(Op.RETIRE_GRANT)
                    .allow(),
            row("a principal that is neither retiring principal nor allowed by policy may not retire a grant",
                    "grant-manage: who can retire a grant")
                    .keyPolicy(ADMIN).grant(Grant.to(NOBODY_ARN, "Encrypt").retiredBy(ADMIN_ARN)).op(Op.RETIRE_GRANT)
                    .deny(),

            // --- keyless operations, services, time ---------------------------------------------------------------
            row("an operation on no key (ListKeys) is allowed by the IAM policy alone",
                    "iam-policies: ListKeys and CreateKey are controlled only by IAM policies")
                    .iam(iamPolicy(stmt("Allow", null, "\"kms:ListKeys\"", null))).op(Op.LIST_KEYS).allow(),
            row("an operation on no key (ListKeys) is denied without an IAM policy",
                    "iam-policies: ListKeys and CreateKey are controlled only by IAM policies")
                    .op(Op.LIST_KEYS).deny(),
            row("kms:ViaService lets a principal use the key only through the named service",
                    "conditions-kms: kms:ViaService")
                    .who(Who.VIA_S3_A).keyPolicy(ADMIN, stmt("Allow", "{\"AWS\":\"*\"}", USE,
                            "{\"StringEquals\":{\"kms:ViaService\":\"s3.us-east-1.amazonaws.com\",\"kms:CallerAccount\":\""
                                    + A + "\"}}")).allow(),
            row("kms:ViaService keeps a direct call out",
                    "conditions-kms: kms:ViaService")
                    .keyPolicy(ADMIN, stmt("Allow", "{\"AWS\":\"*\"}", USE,
                            "{\"StringEquals\":{\"kms:ViaService\":\"s3.us-east-1.amazonaws.com\",\"kms:CallerAccount\":\""
                                    + A + "\"}}")).deny(),
            row("a Deny after a date on aws:CurrentTime takes effect once the date has passed",
                    "reference_policies_condition-keys: aws:CurrentTime is in every request")
                    .keyPolicy(ADMIN, stmt("Allow", aws("{caller}"), USE, null),
                            stmt("Deny", aws("{caller}"), USE, cond("DateGreaterThan", "aws:CurrentTime",
                                    "2001-01-01T00:00:00Z"))).deny(),

            // --- every condition operator -------------------------------------------------------------------------
            allowIf("StringEquals", "kms:EncryptionContext:Dept", "IT").context(DEPT_IT).allow(),
            denyIf("StringNotEquals", "kms:EncryptionContext:Dept", "IT").context(Map.of("Dept", "HR")).deny(),
            allowIf("StringEqualsIgnoreCase", "kms:EncryptionContext:Dept", "it").context(DEPT_IT).allow(),
            denyIf("StringNotEqualsIgnoreCase", "kms:EncryptionContext:Dept", "it").context(DEPT_IT).allow(),
            allowIf("StringLike", "kms:EncryptionContext:Project", "proj-*").context(Map.of("Project", "proj-42")).allow(),
            denyIf("StringNotLike", "kms:EncryptionContext:Project", "proj-*").context(Map.of("Project", "other")).deny(),
            allowIf("NumericEquals", "kms:EncryptionContext:Tier", "42").context(Map.of("Tier", "42")).allow(),
            denyIf("NumericNotEquals", "kms:EncryptionContext:Tier", "42").context(Map.of("Tier", "41")).deny(),
            allowIf("NumericLessThan", "aws:EpochTime", "4102444800").allow(),
            allowIf("NumericLessThanEquals", "kms:EncryptionContext:Tier", "10").context(Map.of("Tier", "10")).allow(),
            allowIf("NumericGreaterThan", "aws:EpochTime", "4102444800").deny(),
            allowIf("NumericGreaterThanEquals", "kms:EncryptionContext:Tier", "10").context(Map.of("Tier", "9")).deny(),
            allowIf("DateEquals", "kms:EncryptionContext:Day", "2024-01-01T00:00:00Z")
                    .context(Map.of("Day", "2024-01-01T00:00:00Z")).allow(),
            denyIf("DateNotEquals", "kms:EncryptionContext:Day", "2024-01-01T00:00:00Z")
                    .context(Map.of("Day", "2024-06-01T00:00:00Z")).deny(),
            allowIf("DateLessThan", "aws:CurrentTime", "2100-01-01T00:00:00Z").allow(),
            allowIf("DateLessThanEquals", "aws:CurrentTime", "2001-01-01T00:00:00Z").deny(),
            allowIf("DateGreaterThan", "aws:CurrentTime", "2001-01-01T00:00:00Z").allow(),
            allowIf("DateGreaterThanEquals", "aws:CurrentTime", "2100-01-01T00:00:00Z").deny(),
            allowIf("Bool", "aws:ViaAWSService", "false").allow(),
            allowIf("Bool", "aws:ViaAWSService", "true").deny(),
            allowIf("BinaryEquals", "kms:EncryptionContext:Blob", "QmluYXJ5").context(Map.of("Blob", "QmluYXJ5")).allow(),
            allowIf("IpAddress", "aws:SourceIp", "127.0.0.0/8").allow(),
            allowIf("IpAddress", "aws:SourceIp", "10.0.0.0/8").deny(),
            denyIf("NotIpAddress", "aws:SourceIp", "127.0.0.0/8").allow(),
            denyIf("NotIpAddress", "aws:SourceIp", "10.0.0.0/8").deny(),
            allowIf("ArnEquals", "aws:PrincipalArn", "{caller}").allow(),
            allowIf("ArnLike", "aws:PrincipalArn", "arn:aws:iam::" + A + ":user/row*").allow(),
            denyIf("ArnNotEquals", "aws:PrincipalArn", ADMIN_ARN).deny(),
            denyIf("ArnNotLike", "aws:PrincipalArn", "arn:aws:iam::*:user/row*").allow(),
            denyIf("Null", "kms:EncryptionContextKeys", "true").deny(),
            denyIf("Null", "kms:EncryptionContextKeys", "true").context(DEPT_IT).allow(),
            allowIf("StringEqualsIfExists", "kms:EncryptionContext:Dept", "IT").allow(),
            allowIf("StringEqualsIfExists", "kms:EncryptionContext:Dept", "IT").context(Map.of("Dept", "HR")).deny(),
            allowIf("ForAnyValue:StringEquals", "kms:EncryptionContextKeys", "Dept")
                    .context(Map.of("Dept", "IT", "Other", "x")).allow(),
            allowIf("ForAllValues:StringEquals", "kms:EncryptionContextKeys", "Dept", "Project")
                    .context(Map.of("Dept", "IT", "Other", "x")).deny(),
            allowIf("ForAllValues:StringEquals", "kms:EncryptionContextKeys", "Dept", "Project")
                    .context(Map.of("Dept", "IT", "Project", "x")).allow(),
            allowIf("StringEquals", "kms:EncryptionContext:Account", "${aws:PrincipalAccount}")
                    .context(Map.of("Account", A)).allow(),
            allowIf("StringEquals", "kms:EncryptionContext:Account", "${aws:PrincipalAccount}")
                    .context(Map.of("Account", B)).deny(),

            // --- condition keys of CreateGrant -------------------------------------------------------------------
            row("kms:GrantOperations with ForAllValues allows a grant of listed operations only",
                    "conditions-kms: kms:GrantOperations")
                    .keyPolicy(ADMIN, stmt("Allow", aws("{caller}"), "\"kms:CreateGrant\"",
                            cond("ForAllValues:StringEquals", "kms:GrantOperations", "Decrypt", "Encrypt")))
                    .op(Op.CREATE_GRANT).grantOps("Decrypt").allow(),
            row("kms:GrantOperations with ForAllValues denies a grant with an operation not listed",
                    "conditions-kms: kms:GrantOperations")
                    .keyPolicy(ADMIN, stmt("Allow", aws("{caller}"), "\"kms:CreateGrant\"",
                            cond("ForAllValues:StringEquals", "kms:GrantOperations", "Decrypt", "Encrypt")))
                    .op(Op.CREATE_GRANT).grantOps("Decrypt", "ReEncryptFrom").deny(),
            row("kms:GranteePrincipal limits whom grants may be given to",
                    "conditions-kms: kms:GranteePrincipal")
                    .keyPolicy(ADMIN, stmt("Allow", aws("{caller}"), "\"kms:CreateGrant\"",
                            cond("StringEquals", "kms:GranteePrincipal", NOBODY_ARN)))
                    .op(Op.CREATE_GRANT).grantOps("Encrypt").allow(),
            row("kms:GrantIsForAWSResource keeps a principal from creating grants itself",
                    "conditions-kms: kms:GrantIsForAWSResource")
                    .keyPolicy(ADMIN, stmt("Allow", aws("{caller}"), "\"kms:CreateGrant\"",
                            cond("Bool", "kms:GrantIsForAWSResource", "true")))
                    .op(Op.CREATE_GRANT).grantOps("Encrypt").deny());

    private EmulatorFixture fx;
    private KmsClient admin;
    private final Map<Row, KmsClient> clients = new HashMap<>();

    @BeforeAll
    void start() {
        fx = new EmulatorFixture(config());
        admin = fx.admin();
    }

    @AfterAll
    void stop() {
        fx.recordsSnapshot().forEach(e -> TrailRecords.assertShape(e, fx.secrets));
        clients.values().forEach(KmsClient::close);
        admin.close();
        fx.close();
    }

    static List<Row> rows() {
        return ROWS;
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("rows")
    void shouldDecideEachDocumentedRuleThroughTheSdk(Row row) {
        String keyArn = row.op == Op.LIST_KEYS ? null : createKey(row);
        List<String> grantIds = new ArrayList<>();
        for (Grant g : row.grants) {
            grantIds.add(admin.createGrant(b -> {
                b.keyId(keyArn).granteePrincipal(row.resolve(g.grantee)).operations(g.operations.stream()
                        .map(GrantOperation::fromValue).toList());
                if (g.retiringPrincipal != null) {
                    b.retiringPrincipal(row.resolve(g.retiringPrincipal));
                }
                if (!g.subset.isEmpty()) {
                    b.constraints(c -> c.encryptionContextSubset(g.subset));
                } else if (!g.equalTo.isEmpty()) {
                    b.constraints(c -> c.encryptionContextEquals(g.equalTo));
                }
            }).grantId());
        }
        SdkBytes ciphertext = row.op == Op.DECRYPT
                ? admin.encrypt(b -> b.keyId(keyArn).plaintext(utf8("policy table")).encryptionContext(row.context))
                .ciphertextBlob()
                : null;
        KmsClient caller = clients.computeIfAbsent(row, this::client);

        String requestId;
        if (row.allow) {
            AwsResponse response = row.op.call(caller, row, keyArn, ciphertext, grantIds);
            requestId = response.responseMetadata().requestId();
        } else {
            KmsException e = catchThrowableOfType(KmsException.class,
                    () -> row.op.call(caller, row, keyArn, ciphertext, grantIds));
            assertThat(e).as("%s should be denied", row).isNotNull();
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
            assertThat(e.awsErrorDetails().errorMessage()).startsWith("User: " + row.callerArn() + " is not authorized to perform: kms:");
            requestId = e.requestId();
        }

        List<CloudTrailEvent> records = fx.recordsSnapshot().stream().filter(r -> requestId.equals(r.requestId())).toList();
        assertThat(records).as("trail records of the call").isNotEmpty().allSatisfy(r -> {
            assertThat(r.eventName()).isEqualTo(row.op.eventName);
            assertThat(r.errorCode()).isEqualTo(row.allow ? null : "AccessDeniedException");
            assertThat(r.userIdentity().arn()).isEqualTo(row.callerArn());
        });
    }

    @Test
    void shouldHaveAtLeastFortyRowsWithBothOutcomes() {
        assertThat(ROWS).hasSizeGreaterThanOrEqualTo(40);
        assertThat(ROWS).filteredOn(r -> r.allow).hasSizeGreaterThan(15);
        assertThat(ROWS).filteredOn(r -> !r.allow).hasSizeGreaterThan(15);
    }

    @Test
    void shouldUseEveryConditionOperatorTheEvaluatorKnows() {
        String all = ROWS.stream().map(r -> String.join(" ", r.keyPolicyStatements) + " " + String.join(" ", r.iam))
                .collect(Collectors.joining("\n"));
        for (String operator : OPERATORS) {
            assertThat(all).as("some row uses %s", operator).contains("\"" + operator + "\":");
        }
        for (String modifier : MODIFIERS) {
            assertThat(all).as("some row uses %s", modifier).contains(modifier);
        }
    }

    // --- running a row ---------------------------------------------------------------------------------------------

    private String createKey(Row row) {
        if (row.keyPolicyStatements.isEmpty()) {
            return admin.createKey(b -> b.description(row.rule)).keyMetadata().arn();
        }
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[" + row.keyPolicyStatements.stream()
                .map(row::resolve).collect(Collectors.joining(",")) + "]}";
        return admin.createKey(b -> b.description(row.rule).policy(policy)).keyMetadata().arn();
    }

    private KmsClient client(Row row) {
        var builder = KmsClient.builder().endpointOverride(fx.emulator.endpoint()).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(row.who.kind == Kind.SESSION
                        ? AwsSessionCredentials.create(row.accessKeyId(), row.secret(), "session-token")
                        : AwsBasicCredentials.create(row.accessKeyId(), row.secret())));
        builder.overrideConfiguration(c -> {
            c.retryStrategy(AwsRetryStrategy.doNotRetry());
            if (row.who.kind == Kind.VIA_S3) {
                c.putHeader(KmsHttpServer.VIA_SERVICE_HEADER, "s3.amazonaws.com");
            }
        });
        return builder.build();
    }

    private static EmulatorConfig config() {
        List<JsonNode> allowAll = List.of(new TextNode(EmulatorConfig.ALLOW_KMS_ALL));
        Map<String, List<EmulatorConfig.UserConfig>> users = new LinkedHashMap<>();
        Map<String, List<EmulatorConfig.RoleConfig>> roles = new LinkedHashMap<>();
        for (String account : List.of(A, B)) {
            users.put(account, new ArrayList<>());
            roles.put(account, new ArrayList<>());
        }
        users.get(A).add(new EmulatorConfig.UserConfig("admin", EmulatorFixture.ADMIN_KEY, EmulatorFixture.ADMIN_SECRET,
                allowAll, List.of()));
        for (Row row : ROWS) {
            List<JsonNode> iam = row.iam.stream().<JsonNode>map(TextNode::new).toList();
            switch (row.who.kind) {
                case USER, VIA_S3 -> users.get(row.who.account).add(new EmulatorConfig.UserConfig(row.name(),
                        row.accessKeyId(), row.secret(), iam,
                        row.who.kind == Kind.VIA_S3 ? List.of("s3.amazonaws.com") : List.of()));
                case SESSION -> roles.get(row.who.account).add(new EmulatorConfig.RoleConfig(row.name(), iam,
                        List.of(new EmulatorConfig.SessionConfig(row.name() + "-session", row.accessKeyId(),
                                row.secret())), List.of()));
                case ROOT -> {
                    // one root key per account, below
                }
            }
        }
        List<EmulatorConfig.AccountConfig> accounts = new ArrayList<>();
        for (String account : List.of(A, B)) {
            accounts.add(new EmulatorConfig.AccountConfig(account, users.get(account), roles.get(account),
                    List.of(new EmulatorConfig.AccessKeyConfig(Who.rootKey(account), "secret-root-" + account))));
        }
        return EmulatorConfig.defaults().withAccounts(accounts);
    }

    // --- the table's vocabulary -------------------------------------------------------------------------------------

    private static Row row(String rule, String source) {
        return new Row(rule, source);
    }

    /** A row whose key policy allows the caller Encrypt only when {@code operator} holds on {@code key}. */
    private static Row allowIf(String operator, String key, String... values) {
        return row(operator + " on " + key + " " + Arrays.toString(values) + " in an Allow",
                "reference_policies_elements_condition_operators: " + operator)
                .keyPolicy(ADMIN, stmt("Allow", aws("{caller}"), "\"kms:Encrypt\"", cond(operator, key, values)));
    }

    /** A row whose key policy allows the caller Encrypt and denies it when {@code operator} holds on {@code key}. */
    private static Row denyIf(String operator, String key, String... values) {
        return row(operator + " on " + key + " " + Arrays.toString(values) + " in a Deny",
                "reference_policies_elements_condition_operators: " + operator)
                .keyPolicy(ADMIN, stmt("Allow", aws("{caller}"), "\"kms:Encrypt\"", null),
                        stmt("Deny", aws("{caller}"), "\"kms:Encrypt\"", cond(operator, key, values)));
    }

    private static String stmt(String effect, String principal, String actions, String condition) {
        return "{\"Effect\":\"" + effect + "\"" + (principal == null ? "" : ",\"Principal\":" + principal)
                + ",\"Action\":" + actions + ",\"Resource\":\"*\"" + (condition == null ? "" : ",\"Condition\":" + condition)
                + "}";
    }

    private static String aws(String arn) {
        return "{\"AWS\":\"" + arn + "\"}";
    }

    private static String actions(String... actions) {
        return Arrays.stream(actions).map(a -> "\"" + a + "\"").collect(Collectors.joining(",", "[", "]"));
    }

    private static String cond(String operator, String key, String... values) {
        return "{\"" + operator + "\":{\"" + key + "\":" + actions(values) + "}}";
    }

    private static String iamPolicy(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    private static SdkBytes utf8(String s) {
        return SdkBytes.fromString(s, StandardCharsets.UTF_8);
    }

    enum Kind { USER, SESSION, ROOT, VIA_S3 }

    /** Who calls: the row's own IAM user (or role session, or user calling through S3), or an account's root. */
    record Who(Kind kind, String account) {
        static final Who USER_A = new Who(Kind.USER, A);
        static final Who USER_B = new Who(Kind.USER, B);
        static final Who SESSION_A = new Who(Kind.SESSION, A);
        static final Who ROOT_A = new Who(Kind.ROOT, A);
        static final Who VIA_S3_A = new Who(Kind.VIA_S3, A);

        static String rootKey(String account) {
            return "AKIAPOLICYROOT" + account.substring(0, 4);
        }
    }

    /** A grant the key's administrator creates before the call. */
    static final class Grant {
        final String grantee;
        final List<String> operations;
        Map<String, String> subset = Map.of();
        Map<String, String> equalTo = Map.of();
        String retiringPrincipal;

        private Grant(String grantee, List<String> operations) {
            this.grantee = grantee;
            this.operations = operations;
        }

        static Grant to(String grantee, String... operations) {
            return new Grant(grantee, List.of(operations));
        }

        Grant subset(Map<String, String> pairs) {
            subset = pairs;
            return this;
        }

        Grant equalTo(Map<String, String> pairs) {
            equalTo = pairs;
            return this;
        }

        Grant retiredBy(String principal) {
            retiringPrincipal = principal;
            return this;
        }
    }

    /** The operation a row's caller performs; each returns the SDK response so that its request id is known. */
    enum Op {
        ENCRYPT("Encrypt") {
            @Override
            AwsResponse call(KmsClient kms, Row row, String key, SdkBytes ciphertext, List<String> grants) {
                return kms.encrypt(b -> b.keyId(key).plaintext(utf8("row " + row.index)).encryptionContext(row.context));
            }
        },
        DECRYPT("Decrypt") {
            @Override
            AwsResponse call(KmsClient kms, Row row, String key, SdkBytes ciphertext, List<String> grants) {
                return kms.decrypt(b -> b.ciphertextBlob(ciphertext).encryptionContext(row.context));
            }
        },
        GENERATE_DATA_KEY("GenerateDataKey") {
            @Override
            AwsResponse call(KmsClient kms, Row row, String key, SdkBytes ciphertext, List<String> grants) {
                return kms.generateDataKey(b -> b.keyId(key).keySpec(DataKeySpec.AES_256).encryptionContext(row.context));
            }
        },
        DESCRIBE_KEY("DescribeKey") {
            @Override
            AwsResponse call(KmsClient kms, Row row, String key, SdkBytes ciphertext, List<String> grants) {
                return kms.describeKey(b -> b.keyId(key));
            }
        },
        DISABLE_KEY("DisableKey") {
            @Override
            AwsResponse call(KmsClient kms, Row row, String key, SdkBytes ciphertext, List<String> grants) {
                return kms.disableKey(b -> b.keyId(key));
            }
        },
        CREATE_GRANT("CreateGrant") {
            @Override
            AwsResponse call(KmsClient kms, Row row, String key, SdkBytes ciphertext, List<String> grants) {
                return kms.createGrant(b -> b.keyId(key).granteePrincipal(NOBODY_ARN)
                        .operations(row.grantOps.stream().map(GrantOperation::fromValue).toList()));
            }
        },
        RETIRE_GRANT("RetireGrant") {
            @Override
            AwsResponse call(KmsClient kms, Row row, String key, SdkBytes ciphertext, List<String> grants) {
                return kms.retireGrant(b -> b.keyId(key).grantId(grants.get(0)));
            }
        },
        LIST_KEYS("ListKeys") {
            @Override
            AwsResponse call(KmsClient kms, Row row, String key, SdkBytes ciphertext, List<String> grants) {
                return kms.listKeys();
            }
        };

        final String eventName;

        Op(String eventName) {
            this.eventName = eventName;
        }

        abstract AwsResponse call(KmsClient kms, Row row, String key, SdkBytes ciphertext, List<String> grants);
    }

    /** One rule: what is set up, who calls what, and whether AWS allows it. */
    static final class Row {
        private static int count;

        final int index = ++count;
        final String rule;
        final String source;
        Who who = Who.USER_A;
        List<String> keyPolicyStatements = List.of();
        List<String> iam = List.of();
        List<Grant> grants = List.of();
        Op op = Op.ENCRYPT;
        Map<String, String> context = Map.of();
        List<String> grantOps = List.of();
        boolean allow;

        Row(String rule, String source) {
            this.rule = rule;
            this.source = source;
        }

        Row who(Who w) {
            who = w;
            return this;
        }

        /** The key policy's statements; none means AWS's default key policy. */
        Row keyPolicy(String... statements) {
            keyPolicyStatements = List.of(statements);
            return this;
        }

        Row iam(String... policies) {
            iam = List.of(policies);
            return this;
        }

        Row grant(Grant g) {
            grants = List.of(g);
            return this;
        }

        Row op(Op o) {
            op = o;
            return this;
        }

        Row context(Map<String, String> c) {
            context = c;
            return this;
        }

        Row grantOps(String... ops) {
            grantOps = List.of(ops);
            return this;
        }

        Row allow() {
            allow = true;
            return this;
        }

        Row deny() {
            allow = false;
            return this;
        }

        String name() {
            return "row" + index;
        }

        String accessKeyId() {
            if (who.kind == Kind.ROOT) {
                return Who.rootKey(who.account);
            }
            return (who.kind == Kind.SESSION ? "ASIA" : "AKIA") + String.format("POLICYTABLE%04d", index);
        }

        String secret() {
            return who.kind == Kind.ROOT ? "secret-root-" + who.account : "secret-" + name();
        }

        /** The ARN policies name for the caller: its user, its role, or its account root. */
        String policyArn() {
            return switch (who.kind) {
                case USER, VIA_S3 -> "arn:aws:iam::" + who.account + ":user/" + name();
                case SESSION -> "arn:aws:iam::" + who.account + ":role/" + name();
                case ROOT -> "arn:aws:iam::" + who.account + ":root";
            };
        }

        /** The ARN CloudTrail and AccessDenied messages show. */
        String callerArn() {
            return who.kind == Kind.SESSION
                    ? "arn:aws:sts::" + who.account + ":assumed-role/" + name() + "/" + name() + "-session"
                    : policyArn();
        }

        String resolve(String text) {
            return text.replace("{caller}", policyArn());
        }

        @Override
        public String toString() {
            return rule + " (" + source + ") -> " + (allow ? "ALLOW" : "DENY");
        }
    }
}
