package io.kmswatch.emulator.api;

import java.time.Instant;

/**
 * The GetParametersForImport response; null members are left out of the JSON.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_GetParametersForImport.html">GetParametersForImport</a>
 */
public record GetParametersForImportResponse(String keyId,
        Blob importToken,
        Blob publicKey,
        Instant parametersValidTo) {
}
