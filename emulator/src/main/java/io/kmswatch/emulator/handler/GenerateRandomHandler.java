package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.Blob;
import io.kmswatch.emulator.api.CallContext;
import io.kmswatch.emulator.api.GenerateRandomRequest;
import io.kmswatch.emulator.api.GenerateRandomResponse;
import io.kmswatch.emulator.api.KmsErrorCode;
import io.kmswatch.emulator.api.KmsServiceException;
import io.kmswatch.emulator.api.OperationHandler;
import io.kmswatch.emulator.api.Validation;

/**
 * GenerateRandom: 1–1024 random bytes.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateRandom.html">GenerateRandom</a>
 */
public final class GenerateRandomHandler implements OperationHandler<GenerateRandomRequest, GenerateRandomResponse> {
    @Override
    public String operation() {
        return "GenerateRandom";
    }

    @Override
    public Class<GenerateRandomRequest> requestType() {
        return GenerateRandomRequest.class;
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    @Override
    public GenerateRandomResponse handle(GenerateRandomRequest r, CallContext ctx) {
        Validation.required(r.numberOfBytes(), "numberOfBytes");
        Validation.range(r.numberOfBytes(), "numberOfBytes", 1, 1024);
        if (r.customKeyStoreId() != null) {
            throw new KmsServiceException(KmsErrorCode.UNSUPPORTED_OPERATION,
                    "Custom key stores are not supported by this emulator.");
        }
        ctx.authorizeKeyless("kms:GenerateRandom");
        return new GenerateRandomResponse(Blob.wrap(DataKeys.random(r.numberOfBytes())));
    }
}
