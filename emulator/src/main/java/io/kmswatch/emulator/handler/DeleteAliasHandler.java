package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.CallContext;
import io.kmswatch.emulator.api.DeleteAliasRequest;
import io.kmswatch.emulator.api.EmptyResponse;
import io.kmswatch.emulator.api.KmsServiceException;
import io.kmswatch.emulator.api.OperationHandler;
import io.kmswatch.emulator.state.Alias;
import io.kmswatch.emulator.state.KmsKey;

/**
 * DeleteAlias: removes an alias; the key is unaffected.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_DeleteAlias.html">DeleteAlias</a>
 */
public final class DeleteAliasHandler implements OperationHandler<DeleteAliasRequest, EmptyResponse> {
    @Override
    public String operation() {
        return "DeleteAlias";
    }

    @Override
    public Class<DeleteAliasRequest> requestType() {
        return DeleteAliasRequest.class;
    }

    @Override
    public EmptyResponse handle(DeleteAliasRequest r, CallContext ctx) {
        Aliases.check(r.aliasName());
        String account = ctx.caller().accountId();
        Alias alias = ctx.services().store().alias(account, ctx.region(), r.aliasName())
                .orElseThrow(() -> KmsServiceException.notFound("Alias arn:" + ctx.partition() + ":kms:"
                        + ctx.region() + ":" + account + ":" + r.aliasName() + " is not found."));
        KmsKey key = ctx.services().store().key(KmsKey.arn(ctx.partition(), ctx.region(), account,
                alias.targetKeyId())).orElse(null);
        if (key != null) {
            ctx.addResource(key);
            ctx.authorize(key, "kms:DeleteAlias");
        } else {
            ctx.authorizeKeyless("kms:DeleteAlias");
        }
        ctx.services().store().deleteAlias(account, ctx.region(), r.aliasName());
        return new EmptyResponse();
    }
}
