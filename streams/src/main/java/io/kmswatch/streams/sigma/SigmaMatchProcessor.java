package io.kmswatch.streams.sigma;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.sigma.CorrelationEngine;
import io.kmswatch.sigma.RuleSet;
import io.kmswatch.sigma.SigmaRecord;
import io.kmswatch.sigma.SigmaRule;
import io.kmswatch.streams.StreamsMetrics;
import io.kmswatch.streams.sigma.SigmaDetections.Out;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Matches each deduplicated record against the rule index: a standalone rule's match becomes a Detection, a
 * correlation input becomes a hit keyed by its group.
 *
 * <p>Fold ({@code detections.sigma.fold}, when not zero): the first match of a rule by a caller on a key (the
 * record's partition key: the key ARN, else account and region) raises its alert at once; the matches after it
 * within the fold period are counted in the store {@value SigmaDetections#FOLD_STORE} and reported by one roll-up
 * detection when the period (plus the grace for late records) has passed in stream time, or when the next match
 * after the period opens a new one. A rule that matches most records thus costs one alert per group and period,
 * not one per record.
 */
final class SigmaMatchProcessor implements Processor<String, CloudTrailEvent, String, Out> {
    /** Event time between the ticks that move the correlation windows' stream time when hits are sparse. */
    static final long TICK_MS = 10_000;

    private final RuleSet rules;
    private final CorrelationEngine engine;
    private final long foldMs;
    private final long graceMs;
    private final Duration fold;
    private final StreamsMetrics metrics;
    private final Map<String, SigmaRule> byId = new HashMap<>();
    private ProcessorContext<String, Out> context;
    private KeyValueStore<String, FoldState> folds;
    private long lastTick = Long.MIN_VALUE;

    SigmaMatchProcessor(RuleSet rules, Duration grace, Duration fold, StreamsMetrics metrics) {
        this.rules = rules;
        this.engine = new CorrelationEngine(rules, grace);
        this.fold = fold;
        this.foldMs = fold.toMillis();
        this.graceMs = grace.toMillis();
        this.metrics = metrics;
        for (SigmaRule r : rules.rules()) {
            byId.put(r.info().ruleId(), r);
        }
    }

    @Override
    public void init(ProcessorContext<String, Out> ctx) {
        this.context = ctx;
        if (foldMs > 0) {
            folds = ctx.getStateStore(SigmaDetections.FOLD_STORE);
            ctx.schedule(Duration.ofMillis(Math.max(1_000, Math.min(foldMs, 60_000))), PunctuationType.STREAM_TIME,
                    this::closeFolds);
        }
    }

    @Override
    public void process(Record<String, CloudTrailEvent> record) {
        CloudTrailEvent e = record.value();
        if (e == null) {
            return;
        }
        SigmaRecord r = SigmaRecord.of(e);
        long ts = record.timestamp();
        rules.forEachMatch(r, rule -> {
            if (rule.standalone()) {
                standalone(rule, record.key(), e, ts);
            }
            if (engine.feeds(rule)) {
                for (CorrelationEngine.Routed h : engine.route(rule, r.tree(), ts, e.eventId())) {
                    context.forward(new Record<>(h.partitionKey(), new Out(null, h.hit()), ts));
                }
            }
        });
        if (!engine.isEmpty() && (lastTick == Long.MIN_VALUE || ts >= lastTick + TICK_MS)) {
            lastTick = ts;
            context.forward(new Record<>(SigmaDetections.TICK_KEY, new Out(null, null), ts));
        }
    }

    private void standalone(SigmaRule rule, String partitionKey, CloudTrailEvent e, long ts) {
        String id = SigmaFindings.detectionId(rule.info());
        if (folds == null) {
            metrics.sigmaMatch(id, false);
            alert(SigmaFindings.match(rule, e), ts);
            return;
        }
        String key = rule.info().ruleId() + '\u0000' + partitionKey + '\u0000' + (e.principal() == null ? "" : e.principal());
        FoldState s = folds.get(key);
        if (s != null && ts < s.start() + foldMs) {
            metrics.sigmaMatch(id, true);
            folds.put(key, s.plus(ts, e.eventId()));
            return;
        }
        if (s != null) {
            rollUp(s, ts);
        }
        metrics.sigmaMatch(id, false);
        Detection d = SigmaFindings.match(rule, e);
        folds.put(key, new FoldState(rule.info().ruleId(), ts, ts, 0, List.of(), d.keyArn(), d.accountId(), d.region(),
                d.principal(), e.eventName()));
        alert(d, ts);
    }

    private void alert(Detection d, long ts) {
        context.forward(new Record<>(d.fingerprint(), new Out(d, null), ts));
    }

    private void rollUp(FoldState s, long ts) {
        SigmaRule rule = byId.get(s.rule());
        if (s.folded() > 0 && rule != null) {
            alert(SigmaFindings.rollUp(rule, s, fold), Math.max(ts, s.last()));
        }
    }

    /**
     * Stream time passed the end of fold periods (and their grace): roll them up and forget them. A whole scan, not
     * a {@code StoreSweeper} slice: the store holds only the groups of the last period, and a settle tick's single
     * jump of stream time must roll every period up at once.
     */
    private void closeFolds(long streamTime) {
        List<KeyValue<String, FoldState>> closed = new ArrayList<>();
        try (KeyValueIterator<String, FoldState> it = folds.all()) {
            while (it.hasNext()) {
                KeyValue<String, FoldState> kv = it.next();
                if (kv.value != null && kv.value.start() + foldMs + graceMs <= streamTime) {
                    closed.add(kv);
                }
            }
        }
        for (KeyValue<String, FoldState> kv : closed) {
            rollUp(kv.value, streamTime);
            folds.delete(kv.key);
        }
    }
}
