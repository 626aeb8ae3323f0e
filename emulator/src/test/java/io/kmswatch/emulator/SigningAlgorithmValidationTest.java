package io.kmswatch.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** A SigningAlgorithm outside the model's enum is refused with every value of that enum, in the model's order. */
class SigningAlgorithmValidationTest {
    private final PipelineFixture fx = new PipelineFixture();

    @Test
    void shouldListEveryModelValueInTheValidationMessage() {
        String keyId = fx.ok("CreateKey", "{\"KeySpec\":\"ECC_NIST_P256\",\"KeyUsage\":\"SIGN_VERIFY\"}")
                .path("KeyMetadata").path("KeyId").asText();
        // the enum as the SDK's copy of the service model has it, in its order
        List<String> model = SigningAlgorithmSpec.knownValues().stream().map(SigningAlgorithmSpec::toString).toList();

        WireResponse r = fx.kms("Sign", "{\"KeyId\":\"" + keyId + "\",\"Message\":\"aGVsbG8=\","
                + "\"SigningAlgorithm\":\"ECDSA_SHA_1024\"}");
        JsonNode error = PipelineFixture.json(r);

        assertThat(model).contains("ED25519_SHA_512", "ED25519_PH_SHA_512");
        assertThat(error.path("__type").asText()).isEqualTo("ValidationException");
        assertThat(error.path("message").asText()).isEqualTo("1 validation error detected: Value 'ECDSA_SHA_1024' at "
                + "'signingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: "
                + model.stream().collect(Collectors.joining(", ", "[", "]")));
    }

    @Test
    void shouldRefuseAnEd25519AlgorithmForAnEcdsaKeyAsIncompatible() {
        String keyId = fx.ok("CreateKey", "{\"KeySpec\":\"ECC_NIST_P256\",\"KeyUsage\":\"SIGN_VERIFY\"}")
                .path("KeyMetadata").path("KeyId").asText();

        JsonNode error = PipelineFixture.json(fx.kms("Sign", "{\"KeyId\":\"" + keyId + "\",\"Message\":\"aGVsbG8=\","
                + "\"SigningAlgorithm\":\"ED25519_SHA_512\"}"));

        assertThat(error.path("__type").asText()).isEqualTo("InvalidKeyUsageException");
    }
}
