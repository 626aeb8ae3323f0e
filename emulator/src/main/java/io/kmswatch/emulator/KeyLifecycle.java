package io.kmswatch.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kmswatch.emulator.api.Services;
import io.kmswatch.emulator.handler.Rotations;
import io.kmswatch.emulator.state.KeyState;
import io.kmswatch.emulator.state.KmsKey;
import io.kmswatch.events.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;

/**
 * What the service does on its own as the emulator clock advances: deletes keys whose pending-deletion date has
 * passed (a {@code DeleteKey} service event), rotates keys whose next rotation date has passed (a
 * {@code RotateKey} service event), deletes imported material whose ValidTo has passed
 * ({@code DeleteExpiredKeyMaterial}), and rolls trail files. Run by one scheduler thread.
 */
final class KeyLifecycle implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(KeyLifecycle.class);
    private final Services services;

    KeyLifecycle(Services services) {
        this.services = services;
    }

    @Override
    public void run() {
        try {
            tick(services.clock().instant());
        } catch (RuntimeException e) {
            // A failure on one tick must not stop the scheduler; the next tick retries.
            LOG.warn("key lifecycle tick failed: {}", e.toString());
        }
    }

    void tick(Instant now) {
        List<KmsKey> keys = services.store().allKeys();
        for (KmsKey k : keys) {
            if (k.keyState() == KeyState.PENDING_DELETION && k.deletionDate() != null && !k.deletionDate().isAfter(now)) {
                boolean deleted = services.store().atomically(() -> {
                    KmsKey current = services.store().key(k.arn()).orElse(null);
                    if (current == null || current.keyState() != KeyState.PENDING_DELETION) {
                        return false;
                    }
                    services.store().deleteKey(k.arn());
                    return true;
                });
                if (deleted) {
                    services.trail().emitServiceEvent("DeleteKey", k, null, null);
                    k.materials().forEach(m -> m.destroy());
                }
                continue;
            }
            if (k.rotationEnabled() && k.nextRotationDate() != null && !k.nextRotationDate().isAfter(now)
                    && k.keyState() == KeyState.ENABLED) {
                Rotations.rotate(services, k, "AUTOMATIC", k.nextRotationDate());
            }
            if ("KEY_MATERIAL_EXPIRES".equals(k.expirationModel()) && k.validTo() != null && !k.validTo().isAfter(now)
                    && !k.materials().isEmpty()) {
                services.store().atomically(() -> {
                    KmsKey current = services.store().key(k.arn()).orElse(null);
                    if (current != null && !current.materials().isEmpty()) {
                        services.store().putKey(current.toBuilder().materials(List.of())
                                .keyState(current.keyState() == KeyState.PENDING_DELETION ? current.keyState()
                                        : KeyState.PENDING_IMPORT).validTo(null).build());
                    }
                    return null;
                });
                ObjectNode details = Json.MAPPER.createObjectNode().put("keyId", k.keyId());
                services.trail().emitServiceEvent("DeleteExpiredKeyMaterial", k, details, null);
            }
        }
        services.trail().tick();
    }
}
