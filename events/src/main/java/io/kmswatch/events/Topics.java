package io.kmswatch.events;

import io.kmswatch.events.inventory.KeySnapshot;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topic catalogue: every topic of DESIGN.md with its serdes, under a configurable name prefix
 * (empty by default). Immutable.
 *
 * <table>
 *   <caption>topics</caption>
 *   <tr><th>topic</th><th>key</th><th>value</th></tr>
 *   <tr><td>kms-events</td><td>key ARN, else {@code <account>:<region>}</td><td>the CloudTrail record bytes, as received</td></tr>
 *   <tr><td>kms-events-rejected</td><td>source location</td><td>raw bytes that failed; header {@code reason}</td></tr>
 *   <tr><td>kms-detections</td><td>fingerprint</td><td>{@link Detection} JSON</td></tr>
 *   <tr><td>kms-alerts</td><td>alert id</td><td>{@link Alert} JSON</td></tr>
 *   <tr><td>kms-alerts-undeliverable</td><td>alert id</td><td>{@link UndeliverableAlert} JSON</td></tr>
 *   <tr><td>kms-scenario-labels</td><td>scenario id</td><td>{@link ScenarioLabel} JSON</td></tr>
 *   <tr><td>kms-key-inventory</td><td>key ARN</td><td>{@link KeySnapshot} JSON; compacted</td></tr>
 * </table>
 */
public final class Topics {
    /** Header on kms-events records: which source produced the record (lookup, s3, files, emulator). */
    public static final String HEADER_SOURCE = "source";
    /** Header on kms-events records: the record's eventID. */
    public static final String HEADER_EVENT_ID = "eventID";
    /** Header on kms-events-rejected records: the human-readable cause. */
    public static final String HEADER_REASON = "reason";
    /**
     * Header on kms-events records whose eventTime was ahead of the ingesting clock by more than the
     * tolerated skew: how many seconds ahead. CloudTrail delivers late, never early, so such a record
     * was forged, corrupted or made on a fast clock (the emulator's); it is kept, and flagged.
     */
    public static final String HEADER_FUTURE = "future";

    /** The catalogue without prefix. */
    public static final Topics DEFAULT = new Topics("");

    private final String prefix;
    private final Topic<String, CloudTrailEvent> kmsEvents;
    private final Topic<String, byte[]> kmsEventsRejected;
    private final Topic<String, Detection> kmsDetections;
    private final Topic<String, Alert> kmsAlerts;
    private final Topic<String, UndeliverableAlert> kmsAlertsUndeliverable;
    private final Topic<String, ScenarioLabel> kmsScenarioLabels;
    private final Topic<String, KeySnapshot> kmsKeyInventory;

    private Topics(String prefix) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.kmsEvents = new Topic<>(prefix + "kms-events", Serdes.String(), new CloudTrailEventSerde());
        this.kmsEventsRejected = new Topic<>(prefix + "kms-events-rejected", Serdes.String(), Serdes.ByteArray());
        this.kmsDetections = new Topic<>(prefix + "kms-detections", Serdes.String(), new JsonSerde<>(Detection.class));
        this.kmsAlerts = new Topic<>(prefix + "kms-alerts", Serdes.String(), new JsonSerde<>(Alert.class));
        this.kmsAlertsUndeliverable = new Topic<>(prefix + "kms-alerts-undeliverable", Serdes.String(),
                new JsonSerde<>(UndeliverableAlert.class));
        this.kmsScenarioLabels = new Topic<>(prefix + "kms-scenario-labels", Serdes.String(),
                new JsonSerde<>(ScenarioLabel.class));
        this.kmsKeyInventory = new Topic<>(prefix + "kms-key-inventory", Serdes.String(),
                new JsonSerde<>(KeySnapshot.class));
    }

    /**
     * The catalogue with a name prefix (e.g. {@code prod.}); an empty prefix gives the plain names.
     *
     * @throws IllegalArgumentException when the prefix holds characters Kafka forbids in topic names
     */
    public static Topics withPrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return DEFAULT;
        }
        if (!prefix.matches("[a-zA-Z0-9._-]+")) {
            throw new IllegalArgumentException("topic prefix '" + prefix + "' may only hold letters, digits, '.', '_' and '-'");
        }
        return new Topics(prefix);
    }

    public String prefix() {
        return prefix;
    }

    public Topic<String, CloudTrailEvent> kmsEvents() {
        return kmsEvents;
    }

    public Topic<String, byte[]> kmsEventsRejected() {
        return kmsEventsRejected;
    }

    public Topic<String, Detection> kmsDetections() {
        return kmsDetections;
    }

    public Topic<String, Alert> kmsAlerts() {
        return kmsAlerts;
    }

    public Topic<String, UndeliverableAlert> kmsAlertsUndeliverable() {
        return kmsAlertsUndeliverable;
    }

    public Topic<String, ScenarioLabel> kmsScenarioLabels() {
        return kmsScenarioLabels;
    }

    /** The key inventory read from the KMS API: compacted, keyed by key ARN (see {@code kmswatch inventory}). */
    public Topic<String, KeySnapshot> kmsKeyInventory() {
        return kmsKeyInventory;
    }

    /** Every topic name, for creating them. */
    public List<String> allNames() {
        return List.of(kmsEvents.name(), kmsEventsRejected.name(), kmsDetections.name(), kmsAlerts.name(),
                kmsAlertsUndeliverable.name(), kmsScenarioLabels.name());
    }
}
