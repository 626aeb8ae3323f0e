package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.CallContext;
import io.kmswatch.emulator.api.CreateAliasRequest;
import io.kmswatch.emulator.api.EmptyResponse;
import io.kmswatch.emulator.api.KmsErrorCode;
import io.kmswatch.emulator.api.KmsServiceException;
import io.kmswatch.emulator.api.OperationHandler;
import io.kmswatch.emulator.state.Alias;
import io.kmswatch.emulator.state.KmsKey;

/**
 * CreateAlias: the target is a key id or key ARN of the caller's account and region; a key pending deletion
 * cannot get an alias; a duplicate name is AlreadyExistsException.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html">CreateAlias</a>
 */
public final class CreateAliasHandler implements OperationHandler<CreateAliasRequest, EmptyResponse> {
    @Override
    public String operation() {
        return "CreateAlias";
    }

    @Override
    public Class<CreateAliasRequest> requestType() {
        return CreateAliasRequest.class;
    }

    @Override
    public EmptyResponse handle(CreateAliasRequest r, CallContext ctx) {
        Aliases.check(r.aliasName());
        KmsKey key = ctx.resolveKey(r.targetKeyId(), "targetKeyId", false);
        if (!key.accountId().equals(ctx.caller().accountId())) {
            throw KmsServiceException.notFound("Key '" + key.arn() + "' does not exist");
        }
        key.requireStateFor(operation());
        ctx.authorize(key, "kms:CreateAlias");
        ctx.services().store().atomically(() -> {
            String account = ctx.caller().accountId();
            if (ctx.services().store().alias(account, ctx.region(), r.aliasName()).isPresent()) {
                throw new KmsServiceException(KmsErrorCode.ALREADY_EXISTS, "An alias with the name arn:"
                        + ctx.partition() + ":kms:" + ctx.region() + ":" + account + ":" + r.aliasName()
                        + " already exists");
            }
            ctx.services().store().putAlias(new Alias(r.aliasName(), account, ctx.region(), ctx.partition(),
                    key.keyId(), ctx.now(), ctx.now()));
            return null;
        });
        return new EmptyResponse();
    }
}
