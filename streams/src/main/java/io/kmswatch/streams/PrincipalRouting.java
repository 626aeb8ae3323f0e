package io.kmswatch.streams;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.streams.detect.DetectionRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Chooses what goes through the one repartition by principal: events some per-principal rule
 * {@link DetectionRule#wants wants}, minus those that rule declares redundant (a first-sighting key
 * already sent with an earlier-or-equal event time). The memory of sent keys is a bounded in-process
 * LRU, not a store: forgetting (a restart, an evicted entry) only sends an event again, which the
 * receiving rule treats as already seen.
 */
final class PrincipalRouting implements Processor<String, CloudTrailEvent, String, CloudTrailEvent> {
    private static final int MAX_KEYS = 100_000;
    private final List<DetectionRule> rules;
    /** Per rule (same index): the event time each redundancy key was sent with. */
    private final List<Map<String, Long>> sent;
    private ProcessorContext<String, CloudTrailEvent> context;

    PrincipalRouting(List<DetectionRule> rules) {
        this.rules = List.copyOf(rules);
        List<Map<String, Long>> maps = new ArrayList<>(rules.size());
        int perRule = Math.max(1, MAX_KEYS / Math.max(1, rules.size()));
        for (int i = 0; i < rules.size(); i++) {
            maps.add(new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                    return size() > perRule;
                }
            });
        }
        this.sent = maps;
    }

    @Override
    public void init(ProcessorContext<String, CloudTrailEvent> ctx) {
        this.context = ctx;
    }

    @Override
    public void process(Record<String, CloudTrailEvent> record) {
        CloudTrailEvent e = record.value();
        if (e.principal() == null) {
            return;
        }
        boolean send = false;
        for (int i = 0; i < rules.size(); i++) {
            DetectionRule rule = rules.get(i);
            if (!rule.wants(e)) {
                continue;
            }
            String key = rule.redundancyKey(e);
            if (key == null) {
                send = true;
                continue;
            }
            Map<String, Long> sentByRule = sent.get(i);
            Long before = sentByRule.get(key);
            if (before == null || record.timestamp() < before) {
                sentByRule.put(key, record.timestamp());
                send = true;
            }
        }
        if (send) {
            context.forward(record);
        }
    }
}
