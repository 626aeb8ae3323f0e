package io.kmswatch.streams.detect;

import java.util.List;

/** Every detection, in the order the topology wires them. */
public final class Detections {
    private Detections() {
    }

    /** One fresh instance of each detection. */
    public static List<DetectionRule> all() {
        return List.of(new KeyDisabledDetection(), new KeyDeletionScheduledDetection(),
                new KeyDeletionPendingDetection(), new KeyDestructionChainDetection(),
                new KeyRotationDisabledDetection(), new KeyMaterialDeletedDetection(),
                new KeyMaterialImportedDetection(), new CustomKeyStoreChangedDetection(),
                new KeyPolicyOpenedDetection(), new GrantToExternalPrincipalDetection(),
                new CrossAccountKeyUseDetection(), new ExternalKeyEncryptionDetection(),
                new DecryptSpikeDetection(), new AccessDeniedBurstDetection(), new KeyUnusableFailuresDetection(),
                new NewPrincipalOnKeyDetection(), new NewSourceIpDetection(), new RootKeyUsageDetection());
    }
}
