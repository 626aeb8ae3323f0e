package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.Services;
import io.kmswatch.emulator.state.KmsKey;

import java.time.Instant;

/** Entry point for rotations the service performs by itself (automatic rotation on the emulator clock). */
public final class Rotations {
    private Rotations() {
    }

    /**
     * Adds new material to a symmetric key (and its replicas) and emits the RotateKey service event.
     *
     * @param rotationType {@code AUTOMATIC} or {@code ON_DEMAND}
     */
    public static KmsKey rotate(Services services, KmsKey key, String rotationType, Instant at) {
        return Keys.rotate(services, key, rotationType, at);
    }
}
