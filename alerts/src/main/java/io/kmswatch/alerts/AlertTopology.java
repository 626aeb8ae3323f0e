package io.kmswatch.alerts;

import io.kmswatch.events.Detection;
import io.kmswatch.events.JsonSerde;
import io.kmswatch.events.Topics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The alert manager as a Kafka Streams topology:
 * <pre>
 *   kms-detections (key: fingerprint)
 *     → re-key by condition ({@link #conditionKey}) → repartition "alerts-by-condition"
 *     → alert-manager processor (store "alert-state": condition → {@link AlertBook})
 *     → kms-alerts (key: alert id)
 * </pre>
 * The repartition puts a resolve on the same task as the firing it clears even when the two carry
 * different fingerprints (a {@code key-disabled} firing and its {@code EnableKey} resolve). Run it
 * with {@code exactly_once_v2} for exactly-once from detections to alerts; production and tests call
 * the same {@link #build} method.
 */
public final class AlertTopology {
    /** The alert manager's state store. */
    public static final String STORE = "alert-state";
    /** Name of the repartition step; the internal topic is {@code <application.id>-alerts-by-condition-repartition}. */
    public static final String REPARTITION = "alerts-by-condition";

    private AlertTopology() {
    }

    /** The topology, without metrics (meters are created but bound to no registry). */
    public static Topology build(AlertsConfig config, Topics topics) {
        return build(config, topics, new AlertsMetrics());
    }

    /** The topology, recording into {@code metrics}. */
    public static Topology build(AlertsConfig config, Topics topics, AlertsMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                new JsonSerde<>(AlertBook.class)));
        var detections = topics.kmsDetections();
        var alerts = topics.kmsAlerts();
        builder.stream(detections.name(), Consumed.with(detections.keySerde(), detections.valueSerde())
                        .withName("detections"))
                .filter((k, d) -> d != null, Named.as("drop-tombstones"))
                .selectKey((k, d) -> conditionKey(d), Named.as("by-condition"))
                .repartition(Repartitioned.with(Serdes.String(), detections.valueSerde()).withName(REPARTITION))
                .process(() -> new AlertManagerProcessor(config, metrics, STORE), Named.as("alert-manager"), STORE)
                .to(alerts.name(), Produced.with(alerts.keySerde(), alerts.valueSerde()).withName("alerts"));
        return builder.build();
    }

    /**
     * The condition a detection is about: {@code <detection>|<key ARN>} when it names a key, else
     * its fingerprint. A resolve clears every firing alert of its condition.
     */
    public static String conditionKey(Detection d) {
        return d.keyArn() != null ? d.detection() + "|" + d.keyArn() : d.fingerprint();
    }

    /**
     * The stable alert id: the first 128 bits, in hex, of SHA-256 over the fingerprint and the
     * event time (epoch milliseconds) at which the alert's suppression window started, i.e. of its
     * first firing. The same input yields the same id on every reprocessing.
     */
    public static String alertId(String fingerprint, Instant windowStart) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] h = sha.digest((fingerprint + "|" + windowStart.toEpochMilli()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
