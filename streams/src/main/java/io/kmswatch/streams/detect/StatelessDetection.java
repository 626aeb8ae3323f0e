package io.kmswatch.streams.detect;

import io.kmswatch.events.Detection;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * A detection that looks at one (deduplicated) event at a time. Deduplication upstream makes it fire
 * once per event; its fingerprint folds repeats about the same key into one alert.
 */
public abstract class StatelessDetection implements DetectionRule {
    @Override
    public final KStream<String, Detection> detect(KStream<String, KeyEvent> events, RuleContext context) {
        return events.flatMap((k, e) -> keyed(e == null ? List.of() : evaluate(e, context)), Named.as(id()));
    }

    /**
     * The detections keyed by fingerprint. Every event passes every stateless rule and almost none fires: the empty
     * case allocates nothing (a stream pipeline per event and rule was 5 % of the stream threads' time).
     */
    static List<KeyValue<String, Detection>> keyed(List<Detection> detections) {
        if (detections.isEmpty()) {
            return List.of();
        }
        List<KeyValue<String, Detection>> out = new ArrayList<>(detections.size());
        for (Detection d : detections) {
            out.add(KeyValue.pair(d.fingerprint(), d));
        }
        return out;
    }

    /** The detections one event produces (usually none). */
    protected abstract List<Detection> evaluate(KeyEvent e, RuleContext context);

    /**
     * True when lifecycle detections must stay quiet for the key at this event: a planned retirement
     * announced in config, or a trusted key tag (sanctioned throw-away keys).
     */
    public static boolean sanctioned(KeyEvent e, RuleContext context) {
        String arn = e.event().keyArn();
        if (arn == null) {
            return false;
        }
        return context.config().isPlannedRetirement(arn, e.event().eventTime())
                || (e.key() != null && context.config().hasTrustedTag(e.key().tags()));
    }
}
