package io.kmswatch.emulator.api;

import java.util.List;

/**
 * The CreateKey request, as the JSON 1.1 body binds it (PascalCase members).
 * Null members were absent on the wire. Blob members hold secrets and never appear in {@code toString}.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html">CreateKey</a>
 */
public record CreateKeyRequest(String policy,
        String description,
        String keyUsage,
        String customerMasterKeySpec,
        String keySpec,
        String origin,
        String customKeyStoreId,
        Boolean bypassPolicyLockoutSafetyCheck,
        List<Tag> tags,
        Boolean multiRegion,
        String xksKeyId) {
    public CreateKeyRequest {
        tags = tags == null ? null : List.copyOf(tags);
    }
}
