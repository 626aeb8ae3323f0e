package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.CallContext;
import io.kmswatch.emulator.api.EmptyResponse;
import io.kmswatch.emulator.api.KmsServiceException;
import io.kmswatch.emulator.api.OperationHandler;
import io.kmswatch.emulator.api.UpdateAliasRequest;
import io.kmswatch.emulator.state.Alias;
import io.kmswatch.emulator.state.KmsKey;

/**
 * UpdateAlias: points an existing alias at another key of the same type and usage.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_UpdateAlias.html">UpdateAlias</a>
 */
public final class UpdateAliasHandler implements OperationHandler<UpdateAliasRequest, EmptyResponse> {
    @Override
    public String operation() {
        return "UpdateAlias";
    }

    @Override
    public Class<UpdateAliasRequest> requestType() {
        return UpdateAliasRequest.class;
    }

    @Override
    public EmptyResponse handle(UpdateAliasRequest r, CallContext ctx) {
        Aliases.check(r.aliasName());
        String account = ctx.caller().accountId();
        KmsKey target = ctx.resolveKey(r.targetKeyId(), "targetKeyId", false);
        if (!target.accountId().equals(account)) {
            throw KmsServiceException.notFound("Key '" + target.arn() + "' does not exist");
        }
        Alias alias = ctx.services().store().alias(account, ctx.region(), r.aliasName())
                .orElseThrow(() -> KmsServiceException.notFound("Alias arn:" + ctx.partition() + ":kms:"
                        + ctx.region() + ":" + account + ":" + r.aliasName() + " is not found."));
        KmsKey old = ctx.services().store().key(KmsKey.arn(ctx.partition(), ctx.region(), account,
                alias.targetKeyId())).orElse(null);
        target.requireStateFor(operation());
        if (old != null && (!old.keyUsage().equals(target.keyUsage())
                || old.isSymmetric() != target.isSymmetric())) {
            throw KmsServiceException.validation("The alias " + r.aliasName()
                    + " must point to a key of the same key type and key usage as " + old.arn());
        }
        if (old != null) {
            ctx.addResource(old);
            ctx.authorize(old, "kms:UpdateAlias");
        }
        ctx.authorize(target, "kms:UpdateAlias");
        ctx.services().store().putAlias(new Alias(alias.aliasName(), account, ctx.region(), ctx.partition(),
                target.keyId(), alias.creationDate(), ctx.now()));
        return new EmptyResponse();
    }
}
