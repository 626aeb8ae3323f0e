package io.kmswatch.streams.detect;

import io.kmswatch.events.Detection;
import io.kmswatch.events.Severity;
import io.kmswatch.streams.RuleSettings;
import java.time.Duration;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * {@code key-deletion-pending}: a key is still pending deletion {@code leadTime} (default 3 days) before
 * its deletion date — the last chance to cancel. A stream-time timer per key drives it (so replaying
 * old logs fires it too); it decides once the grace has passed the due time, so a late-delivered
 * CancelKeyDeletion is still honoured. CancelKeyDeletion (or DeleteKey) cancels it and resolves a fired
 * warning; the detection names the deletion date. See {@link KeyDeletionPendingProcessor}.
 */
public final class KeyDeletionPendingDetection implements DetectionRule {
    public static final String ID = "key-deletion-pending";
    static final String STORE = "kmswatch-" + ID;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public RuleSettings defaults() {
        return RuleSettings.unset().withEnabled(true).withSeverity(Severity.HIGH).withLeadTime(Duration.ofDays(3));
    }

    @Override
    public KStream<String, Detection> detect(KStream<String, KeyEvent> events, RuleContext ctx) {
        ctx.keyValueStore(STORE, KeyDeletionPendingProcessor.Timers.class);
        return events.process(() -> new KeyDeletionPendingProcessor(ctx, STORE), Named.as(ID), STORE);
    }
}
