package io.kmswatch.streams.detect;

import io.kmswatch.events.Detection;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * First-seen sets with a learning period: an owner (a key, a principal) is observed for
 * {@code learningPeriod} from its first event; what it meets in that time is learned silently; a new
 * member met later fires once. Stores: {@code <store>} maps the owner to its first event time and
 * {@code owner|member} to the member's first event time.
 */
abstract class NoveltyProcessor implements Processor<String, KeyEvent, String, Detection> {
    private final String storeName;
    private final long learningMs;
    protected ProcessorContext<String, Detection> context;
    private KeyValueStore<String, Long> seen;

    NoveltyProcessor(String storeName, long learningMs) {
        this.storeName = storeName;
        this.learningMs = learningMs;
    }

    @Override
    public void init(ProcessorContext<String, Detection> c) {
        this.context = c;
        this.seen = c.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, KeyEvent> record) {
        String owner = owner(record.value());
        String member = owner == null ? null : member(record.value());
        if (member == null) {
            return;
        }
        long t = record.timestamp();
        Long ownerSince = seen.get(owner);
        if (ownerSince == null || t < ownerSince) {
            seen.put(owner, t);
            ownerSince = t;
        }
        String pair = owner + "|" + member;
        Long memberSince = seen.get(pair);
        if (memberSince != null) {
            if (t < memberSince) {
                seen.put(pair, t);
            }
            return;
        }
        seen.put(pair, t);
        if (t >= ownerSince + learningMs) {
            Detection d = detection(record.value(), owner, member, ownerSince);
            if (d != null) {
                context.forward(new Record<>(d.fingerprint(), d, t));
            }
        }
    }

    /** Whose set the event belongs to, or null when the event does not count. */
    protected abstract String owner(KeyEvent e);

    /** The member the event shows, or null. */
    protected abstract String member(KeyEvent e);

    protected abstract Detection detection(KeyEvent e, String owner, String member, long ownerSince);
}
