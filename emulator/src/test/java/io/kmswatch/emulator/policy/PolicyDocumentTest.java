package io.kmswatch.emulator.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyDocumentTest {

    @Test
    void shouldParseDefaultKeyPolicyLaidOutAsGetKeyPolicyReturnsIt() {
        String policy = KeyPolicies.defaultKeyPolicy("aws", "111122223333");

        PolicyDocument doc = PolicyDocument.parseKeyPolicy(policy);

        assertThat(policy).isEqualTo("""
                {
                  "Version" : "2012-10-17",
                  "Id" : "key-default-1",
                  "Statement" : [ {
                    "Sid" : "Enable IAM User Permissions",
                    "Effect" : "Allow",
                    "Principal" : {
                      "AWS" : "arn:aws:iam::111122223333:root"
                    },
                    "Action" : "kms:*",
                    "Resource" : "*"
                  } ]
                }""");
        assertThat(doc.version()).isEqualTo("2012-10-17");
        assertThat(doc.id()).isEqualTo("key-default-1");
        assertThat(doc.statements()).singleElement().satisfies(s -> {
            assertThat(s.sid()).isEqualTo("Enable IAM User Permissions");
            assertThat(s.effect()).isEqualTo(PolicyStatement.Effect.ALLOW);
            assertThat(s.principal().values("AWS")).containsExactly("arn:aws:iam::111122223333:root");
            assertThat(s.actions()).containsExactly("kms:*");
            assertThat(s.resources()).containsExactly("*");
        });
    }

    @Test
    void shouldRejectDefaultKeyPolicyForBadAccount() {
        assertThatThrownBy(() -> KeyPolicies.defaultKeyPolicy("aws", "1234")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldAcceptStatementAsObjectAndElementsAsStringsOrArrays() {
        PolicyDocument doc = PolicyDocument.parse("""
                {"Statement": {"Effect": "Deny", "NotPrincipal": {"AWS": ["111122223333", "arn:aws:iam::111122223333:role/A"],
                  "Service": "s3.amazonaws.com"}, "NotAction": ["kms:Decrypt", "kms:Encrypt"], "NotResource": "arn:aws:kms:*",
                  "Condition": {"Bool": {"aws:SecureTransport": false}, "NumericLessThan": {"n": [7, 30]}}}}""");

        PolicyStatement s = doc.statements().get(0);
        assertThat(doc.version()).isNull();
        assertThat(s.notPrincipal()).isTrue();
        assertThat(s.principal().byType()).containsOnlyKeys("AWS", "Service");
        assertThat(s.notAction()).isTrue();
        assertThat(s.notResource()).isTrue();
        assertThat(s.conditions()).containsExactly(
                new ConditionClause("Bool", "aws:SecureTransport", List.of("false")),
                new ConditionClause("NumericLessThan", "n", List.of("7", "30")));
    }

    @Test
    void shouldTreatAwsStarAsAnyone() {
        PolicyDocument doc = PolicyDocument.parse("""
                {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": "*"}]}""");

        assertThat(doc.statements().get(0).principal()).isEqualTo(new PrincipalSpec(true, Map.of()));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "not json|Syntax errors in policy.",
            "[]|Syntax errors in policy.",
            "{\"Version\": \"2012-10-17\"}|Policy document must contain a Statement.",
            "{\"Statement\": []}|Policy document must contain at least one Statement.",
            "{\"Version\": \"2020-01-01\", \"Statement\": []}|The policy must contain a valid version string",
            "{\"Statement\": [{\"Action\": \"kms:*\", \"Resource\": \"*\"}]}|Policy statement must contain an Effect.",
            "{\"Statement\": [{\"Effect\": \"allow\", \"Action\": \"kms:*\", \"Resource\": \"*\"}]}|Invalid effect: allow",
            "{\"Statement\": [{\"Effect\": \"Allow\", \"Resource\": \"*\"}]}|Policy statement must contain actions.",
            "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"kms:*\"}]}|Policy statement must contain resources.",
            "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"kms:*\", \"NotAction\": \"kms:Decrypt\", \"Resource\": \"*\"}]}|Policy statement cannot contain both Action and NotAction.",
            "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"Decrypt\", \"Resource\": \"*\"}]}|Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
            "{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"bob\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"}]}|Policy contains a statement with one or more invalid principals.",
            "{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::*:root\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"}]}|Policy contains a statement with one or more invalid principals.",
            "{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"Group\": \"x\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"}]}|Policy contains a statement with one or more invalid principals.",
            "{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"everyone\", \"Action\": \"kms:*\", \"Resource\": \"*\"}]}|Policy contains a statement with one or more invalid principals.",
            "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"kms:*\", \"Resource\": \"*\", \"Foo\": 1}]}|Policy statement contains an unsupported element: Foo.",
            "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"kms:*\", \"Resource\": \"*\", \"Condition\": {\"StringEquals\": \"x\"}}]}|Syntax errors in policy.",
            "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": [], \"Resource\": \"*\"}]}|Syntax errors in policy.",
    })
    void shouldRejectMalformedPolicyInAwsWords(String json, String message) {
        assertThatThrownBy(() -> PolicyDocument.parse(json))
                .isInstanceOf(MalformedPolicyException.class)
                .hasMessage(message);
    }

    @Test
    void shouldRequirePrincipalInKeyPolicy() {
        assertThatThrownBy(() -> PolicyDocument.parseKeyPolicy(Policies.IAM_KMS_ALL))
                .isInstanceOf(MalformedPolicyException.class)
                .hasMessage("Policy statement must contain a Principal element.");
    }

    @Test
    void shouldRejectPrincipalInIdentityPolicy() {
        assertThatThrownBy(() -> PolicyDocument.parseIdentityPolicy(Policies.GUIDE_KEY_POLICY))
                .isInstanceOf(MalformedPolicyException.class)
                .hasMessage("Policy document should not specify a principal.");
    }

    @Test
    void shouldKeepUnknownConditionOperatorsForTheEvaluatorToFailClosed() {
        PolicyDocument doc = PolicyDocument.parse("""
                {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*",
                  "Condition": {"StringMatchesRegex": {"aws:PrincipalArn": ".*"}}}]}""");

        assertThat(doc.statements().get(0).conditions()).extracting(ConditionClause::operator)
                .containsExactly("StringMatchesRegex");
    }
}
