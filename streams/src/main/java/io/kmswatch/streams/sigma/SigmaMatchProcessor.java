package io.kmswatch.streams.sigma;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.sigma.CorrelationEngine;
import io.kmswatch.sigma.RuleSet;
import io.kmswatch.sigma.SigmaRecord;
import io.kmswatch.streams.sigma.SigmaDetections.Out;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Matches each deduplicated record against the rule index: a standalone rule's match becomes a Detection, a
 * correlation input becomes a hit keyed by its group. Stateless but for when the last time tick was sent.
 */
final class SigmaMatchProcessor implements Processor<String, CloudTrailEvent, String, Out> {
    /** Event time between the ticks that move the correlation windows' stream time when hits are sparse. */
    static final long TICK_MS = 10_000;

    private final RuleSet rules;
    private final CorrelationEngine engine;
    private ProcessorContext<String, Out> context;
    private long lastTick = Long.MIN_VALUE;

    SigmaMatchProcessor(RuleSet rules, Duration grace) {
        this.rules = rules;
        this.engine = new CorrelationEngine(rules, grace);
    }

    @Override
    public void init(ProcessorContext<String, Out> context) {
        this.context = context;
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
                var d = SigmaFindings.match(rule, e);
                context.forward(new Record<>(d.fingerprint(), new Out(d, null), ts));
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
}
