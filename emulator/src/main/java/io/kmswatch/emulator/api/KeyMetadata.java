package io.kmswatch.emulator.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * The KMS KeyMetadata shape.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_KeyMetadata.html">KeyMetadata</a>
 */
public record KeyMetadata(@JsonProperty("AWSAccountId") String awsAccountId,
        String keyId,
        String arn,
        Instant creationDate,
        Boolean enabled,
        String description,
        String keyUsage,
        String keyState,
        Instant deletionDate,
        Instant validTo,
        String origin,
        String expirationModel,
        String keyManager,
        String customerMasterKeySpec,
        String keySpec,
        List<String> encryptionAlgorithms,
        List<String> signingAlgorithms,
        List<String> macAlgorithms,
        Boolean multiRegion,
        MultiRegionConfiguration multiRegionConfiguration,
        Integer pendingDeletionWindowInDays,
        String currentKeyMaterialId) {
    public KeyMetadata {
        encryptionAlgorithms = encryptionAlgorithms == null ? null : List.copyOf(encryptionAlgorithms);
        signingAlgorithms = signingAlgorithms == null ? null : List.copyOf(signingAlgorithms);
        macAlgorithms = macAlgorithms == null ? null : List.copyOf(macAlgorithms);
    }
}
