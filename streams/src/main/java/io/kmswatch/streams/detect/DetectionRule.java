package io.kmswatch.streams.detect;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.streams.RuleSettings;
import java.time.Duration;
import org.apache.kafka.streams.kstream.KStream;

/**
 * One detection: turns deduplicated KMS events into {@link Detection} records. Implementations are
 * named {@code …Detection}, one per behaviour, and are wired by {@code DetectionTopology}.
 *
 * <p>Rules read event time only (record timestamps are {@code eventTime}); nothing reads the wall clock.
 */
public interface DetectionRule {
    /** Where a rule reads from. */
    enum Scope {
        /** The input keyed by key ARN: per-key state needs no repartition. */
        KEY,
        /** The input re-keyed by principal (one repartition shared by every such rule). */
        PRINCIPAL
    }

    /** The detection id, e.g. {@code key-disabled}; also its config key. */
    String id();

    default Scope scope() {
        return Scope.KEY;
    }

    /** For {@link Scope#PRINCIPAL} rules: which events the rule needs, so the repartition carries only those. */
    default boolean wants(CloudTrailEvent event) {
        return true;
    }

    /**
     * For {@link Scope#PRINCIPAL} rules that only care about the first sighting of something (a
     * principal's IP): a key under which a later event adds nothing once an earlier-or-equal one was
     * sent through the repartition, so the repartition carries first sightings, not all traffic.
     * Null (the default) sends every wanted event.
     */
    default String redundancyKey(CloudTrailEvent event) {
        return null;
    }

    /** The rule's default settings (severity, thresholds, windows…); config overrides any of them. */
    RuleSettings defaults();

    /** How far back the rule counts (its window), so deduplication remembers at least that long. */
    default Duration lookBack(RuleSettings settings) {
        return settings.window() == null ? Duration.ZERO : settings.window();
    }

    /**
     * Adds the rule to the topology.
     *
     * @param events keyed by key ARN ({@link Scope#KEY}) or principal ({@link Scope#PRINCIPAL})
     * @return the detections, keyed by fingerprint
     */
    KStream<String, Detection> detect(KStream<String, KeyEvent> events, RuleContext context);
}
