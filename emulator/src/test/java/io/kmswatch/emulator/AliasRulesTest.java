package io.kmswatch.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Alias names as KMS checks them in CreateAlias, UpdateAlias and DeleteAlias (the model's pattern and length first,
 * then the {@code alias/} prefix, then {@code :}), and ListAliases listing the predefined {@code alias/aws/*}
 * aliases without a target key, as the ListAliases API reference describes.
 */
class AliasRulesTest {
    private static final String PATTERN_MESSAGE = "1 validation error detected: Value '%s' at 'aliasName' failed to "
            + "satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$";
    private static final String PREFIX_MESSAGE = "Alias must start with the prefix \"alias/\". Please see "
            + "https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html";

    private final PipelineFixture fx = new PipelineFixture();
    private String keyId;

    @BeforeEach
    void createKey() {
        keyId = fx.ok("CreateKey", "{}").path("KeyMetadata").path("KeyId").asText();
    }

    private JsonNode aliasCall(String operation, String aliasName) {
        String body = "DeleteAlias".equals(operation) ? "{\"AliasName\":\"" + aliasName + "\"}"
                : "{\"AliasName\":\"" + aliasName + "\",\"TargetKeyId\":\"" + keyId + "\"}";
        WireResponse r = fx.kms(operation, body);
        assertThat(r.status()).as("%s %s", operation, aliasName).isEqualTo(400);
        return PipelineFixture.json(r);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "CreateAlias, alias/my!alias", "UpdateAlias, alias/my!alias", "DeleteAlias, alias/my!alias",
            "CreateAlias, alias/has space", "CreateAlias, my!alias", "DeleteAlias, alias/é",
    })
    void shouldRefuseCharactersOutsideTheModelPatternFirst(String operation, String aliasName) {
        JsonNode error = aliasCall(operation, aliasName);

        assertThat(error.path("__type").asText()).isEqualTo("ValidationException");
        assertThat(error.path("message").asText()).isEqualTo(PATTERN_MESSAGE.formatted(aliasName));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"CreateAlias", "UpdateAlias", "DeleteAlias"})
    void shouldRefuseNameWithoutPrefix(String operation) {
        JsonNode error = aliasCall(operation, "my-alias");

        assertThat(error.path("__type").asText()).isEqualTo("ValidationException");
        assertThat(error.path("message").asText()).isEqualTo(PREFIX_MESSAGE);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"CreateAlias", "UpdateAlias", "DeleteAlias"})
    void shouldRefuseColonAfterPrefix(String operation) {
        JsonNode error = aliasCall(operation, "alias/team:app");

        assertThat(error.path("__type").asText()).isEqualTo("ValidationException");
        assertThat(error.path("message").asText()).isEqualTo("alias/team:app contains invalid characters for an alias");
    }

    @Test
    void shouldReportPatternAndLengthTogetherForLongBadName() {
        String name = "alias/" + "!".repeat(251);

        JsonNode error = aliasCall("CreateAlias", name);

        assertThat(error.path("message").asText()).isEqualTo("2 validation errors detected: Value '" + name
                + "' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                + "^[a-zA-Z0-9:/_-]+$; Value '" + name + "' at 'aliasName' failed to satisfy constraint: Member must "
                + "have length less than or equal to 256");
    }

    @Test
    void shouldAcceptNameOfLongestLengthAndRefuseOneLonger() {
        String longest = "alias/" + "a".repeat(250);

        fx.ok("CreateAlias", "{\"AliasName\":\"" + longest + "\",\"TargetKeyId\":\"" + keyId + "\"}");
        JsonNode error = aliasCall("CreateAlias", longest + "a");

        assertThat(error.path("message").asText()).endsWith("Member must have length less than or equal to 256")
                .startsWith("1 validation error detected");
    }

    @Test
    void shouldKeepReservedPrefixAndEmptyNameRules() {
        assertThat(aliasCall("CreateAlias", "alias/aws/mine").path("__type").asText())
                .isEqualTo("InvalidAliasNameException");
        assertThat(aliasCall("CreateAlias", "alias/").path("__type").asText()).isEqualTo("InvalidAliasNameException");
    }

    @Test
    void shouldListPredefinedAwsAliasesWithoutTargetKeyAmongOwnAliasesByName() {
        fx.ok("CreateAlias", "{\"AliasName\":\"alias/app\",\"TargetKeyId\":\"" + keyId + "\"}");
        fx.ok("CreateAlias", "{\"AliasName\":\"alias/zeta\",\"TargetKeyId\":\"" + keyId + "\"}");

        JsonNode aliases = fx.ok("ListAliases", "{}").path("Aliases");

        List<String> names = new ArrayList<>();
        aliases.forEach(a -> names.add(a.path("AliasName").asText()));
        assertThat(names).isSorted().startsWith("alias/app", "alias/aws/dynamodb").endsWith("alias/zeta")
                .contains("alias/aws/ebs", "alias/aws/s3", "alias/aws/secretsmanager", "alias/aws/rds");
        assertThat(aliases).filteredOn(a -> a.path("AliasName").asText().startsWith("alias/aws/")).hasSize(12)
                .allSatisfy(a -> {
                    assertThat(a.has("TargetKeyId")).isFalse();
                    assertThat(a.has("CreationDate")).isFalse();
                    assertThat(a.path("AliasArn").asText())
                            .isEqualTo("arn:aws:kms:us-east-1:111122223333:" + a.path("AliasName").asText());
                });
        assertThat(aliases).filteredOn(a -> a.path("AliasName").asText().equals("alias/app"))
                .singleElement().satisfies(a -> assertThat(a.path("TargetKeyId").asText()).isEqualTo(keyId));
    }

    @Test
    void shouldLeavePredefinedAliasesOutOfOneKeysListAndPageThroughThem() {
        fx.ok("CreateAlias", "{\"AliasName\":\"alias/app\",\"TargetKeyId\":\"" + keyId + "\"}");

        JsonNode ofKey = fx.ok("ListAliases", "{\"KeyId\":\"" + keyId + "\"}").path("Aliases");
        JsonNode page1 = fx.ok("ListAliases", "{\"Limit\":10}");
        JsonNode page2 = fx.ok("ListAliases", "{\"Limit\":10,\"Marker\":\"" + page1.path("NextMarker").asText() + "\"}");

        assertThat(ofKey).singleElement().satisfies(a -> assertThat(a.path("AliasName").asText()).isEqualTo("alias/app"));
        assertThat(page1.path("Truncated").asBoolean()).isTrue();
        assertThat(page1.path("Aliases")).hasSize(10);
        assertThat(page2.path("Aliases")).hasSize(3);
        assertThat(page2.path("Truncated").asBoolean()).isFalse();
        assertThat(page2.path("Aliases").get(2).path("AliasName").asText()).isEqualTo("alias/aws/xray");
    }
}
