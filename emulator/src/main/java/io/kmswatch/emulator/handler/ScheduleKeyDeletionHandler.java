package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.*;
import io.kmswatch.emulator.state.*;

/**
 * ScheduleKeyDeletion: PendingWindowInDays 7–30 (default 30); the key is deleted when the date passes on the emulator clock
 * (a DeleteKey service event). Scheduling a key already pending deletion is KMSInvalidStateException.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html">ScheduleKeyDeletion</a>
 */
public final class ScheduleKeyDeletionHandler implements OperationHandler<ScheduleKeyDeletionRequest, ScheduleKeyDeletionResponse> {
    @Override
    public String operation() {
        return "ScheduleKeyDeletion";
    }

    @Override
    public Class<ScheduleKeyDeletionRequest> requestType() {
        return ScheduleKeyDeletionRequest.class;
    }

    @Override
    public ScheduleKeyDeletionResponse handle(ScheduleKeyDeletionRequest r, CallContext ctx) {
        Validation.range(r.pendingWindowInDays(), "pendingWindowInDays", 7, 30);
        int days = r.pendingWindowInDays() == null ? 30 : r.pendingWindowInDays();
        KmsKey key = ctx.resolveOwnKey(r.keyId(), "keyId");
        key.requireStateFor(operation());
        ctx.authorize(key, "kms:ScheduleKeyDeletion");
        java.time.Instant deletion = ctx.now().plus(java.time.Duration.ofDays(days));
        ctx.services().store().atomically(() -> {
            KmsKey current = ctx.services().store().key(key.arn()).orElse(key);
            current.requireStateFor(operation());
            ctx.services().store().putKey(current.toBuilder().keyState(KeyState.PENDING_DELETION)
                    .deletionDate(deletion).pendingWindowInDays(days).build());
            return null;
        });
        return new ScheduleKeyDeletionResponse(key.arn(), deletion, KeyState.PENDING_DELETION.value(), days);
    }

    @Override
    public com.fasterxml.jackson.databind.JsonNode responseElements(ScheduleKeyDeletionRequest request,
                                                                    ScheduleKeyDeletionResponse response) {
        com.fasterxml.jackson.databind.node.ObjectNode o = io.kmswatch.events.Json.MAPPER.createObjectNode();
        o.put("keyId", response.keyId());
        o.put("keyState", response.keyState());
        o.put("deletionDate", ApiJson.humanDate(response.deletionDate()));
        o.put("pendingWindowInDays", response.pendingWindowInDays());
        return o;
    }
}
