package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.OperationHandler;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The dispatch table: {@code X-Amz-Target} suffix → handler. Explicit, no reflection. */
public final class Handlers {
    private Handlers() {
    }

    public static Map<String, OperationHandler<?, ?>> all() {
        List<OperationHandler<?, ?>> list = List.of(
                new CreateKeyHandler(), new DescribeKeyHandler(), new ListKeysHandler(),
                new CreateAliasHandler(), new ListAliasesHandler(), new UpdateAliasHandler(), new DeleteAliasHandler(),
                new EncryptHandler(), new DecryptHandler(), new ReEncryptHandler(),
                new GenerateDataKeyHandler(), new GenerateDataKeyWithoutPlaintextHandler(),
                new GenerateDataKeyPairHandler(), new GenerateDataKeyPairWithoutPlaintextHandler(),
                new GenerateRandomHandler(), new EnableKeyHandler(), new DisableKeyHandler(),
                new ScheduleKeyDeletionHandler(), new CancelKeyDeletionHandler(),
                new EnableKeyRotationHandler(), new DisableKeyRotationHandler(), new GetKeyRotationStatusHandler(),
                new RotateKeyOnDemandHandler(), new ListKeyRotationsHandler(),
                new PutKeyPolicyHandler(), new GetKeyPolicyHandler(), new ListKeyPoliciesHandler(),
                new CreateGrantHandler(), new ListGrantsHandler(), new ListRetirableGrantsHandler(),
                new RetireGrantHandler(), new RevokeGrantHandler(),
                new SignHandler(), new VerifyHandler(), new GetPublicKeyHandler(),
                new GenerateMacHandler(), new VerifyMacHandler(),
                new TagResourceHandler(), new UntagResourceHandler(), new ListResourceTagsHandler(),
                new UpdateKeyDescriptionHandler(), new ReplicateKeyHandler(),
                new GetParametersForImportHandler(), new ImportKeyMaterialHandler(),
                new DeleteImportedKeyMaterialHandler());
        Map<String, OperationHandler<?, ?>> map = new LinkedHashMap<>();
        for (OperationHandler<?, ?> h : list) {
            map.put(h.operation(), h);
        }
        return map;
    }
}
