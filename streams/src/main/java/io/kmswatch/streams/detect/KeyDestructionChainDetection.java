package io.kmswatch.streams.detect;

import io.kmswatch.events.Detection;
import io.kmswatch.events.Severity;
import io.kmswatch.streams.RuleSettings;
import java.time.Duration;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * {@code key-destruction-chain}: DisableKey and ScheduleKeyDeletion on one key within {@code window}
 * (default 24 h), in either order — the pattern of someone destroying a key rather than retiring it.
 * Escalates (tier 1, critical) when the DeleteKey service event follows; an EnableKey or
 * CancelKeyDeletion after the scheduling closes the chain with a {@code resolves} record. Each
 * ScheduleKeyDeletion anchors one chain. See {@link KeyDestructionChainProcessor}.
 */
public final class KeyDestructionChainDetection implements DetectionRule {
    public static final String ID = "key-destruction-chain";
    static final String STORE = "kmswatch-" + ID;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public RuleSettings defaults() {
        return RuleSettings.unset().withEnabled(true).withSeverity(Severity.HIGH).withWindow(Duration.ofHours(24));
    }

    @Override
    public KStream<String, Detection> detect(KStream<String, KeyEvent> events, RuleContext ctx) {
        ctx.keyValueStore(STORE, KeyDestructionChainProcessor.Chains.class);
        return events.process(() -> new KeyDestructionChainProcessor(ctx, STORE), Named.as(ID), STORE);
    }
}
