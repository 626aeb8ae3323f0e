package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.CallContext;
import io.kmswatch.emulator.api.DescribeKeyRequest;
import io.kmswatch.emulator.api.DescribeKeyResponse;
import io.kmswatch.emulator.api.OperationHandler;
import io.kmswatch.emulator.api.Validation;
import io.kmswatch.emulator.state.KmsKey;

/**
 * DescribeKey: any key-id form, any key state.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html">DescribeKey</a>
 */
public final class DescribeKeyHandler implements OperationHandler<DescribeKeyRequest, DescribeKeyResponse> {
    @Override
    public String operation() {
        return "DescribeKey";
    }

    @Override
    public Class<DescribeKeyRequest> requestType() {
        return DescribeKeyRequest.class;
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    @Override
    public DescribeKeyResponse handle(DescribeKeyRequest r, CallContext ctx) {
        Validation.grantTokens(r.grantTokens());
        KmsKey key = ctx.resolveKey(r.keyId());
        ctx.authorize(key, "kms:DescribeKey");
        return new DescribeKeyResponse(Keys.metadata(key, ctx.services()));
    }
}
