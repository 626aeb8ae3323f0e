package io.kmswatch.streams.detect;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.streams.state.StoreSweeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * First-seen sets with a learning period: an owner (a key, a principal) is observed for
 * {@code learningPeriod} from its first event; what it meets in that time is learned silently; a member
 * first met later is news.
 *
 * <p>Whether a sighting is the first depends on events that may still arrive within the grace (an
 * earlier sighting delivered late), so a candidate is decided once stream time minus the grace has
 * passed it: it fires iff it is still the member's earliest sighting and lies at least
 * {@code learningPeriod} after the owner's earliest event. That makes the output independent of
 * arrival order within the grace, at the cost of reporting novelty one grace late. Stores:
 * {@code <store>} maps the owner and {@code owner|member} to their first and last sightings
 * ({@link Sighting}); {@code <store>-candidates} holds undecided sightings (the record bytes, to build the finding).
 *
 * <p>What is learned lives {@code forgetAfter} since it was last seen: an owner or pair not seen for that long
 * reads as never seen (a principal back on a key after a year is news again, and an owner learns anew) and a
 * sweep ({@link StoreSweeper}, a slice each minute of event time) deletes it from the store and its changelog.
 * Candidates live until decided, one grace after their sighting.
 */
abstract class NoveltyProcessor implements Processor<String, KeyEvent, String, Detection> {
    private static final Duration TICK = Duration.ofMinutes(1);
    /** Entries a sweep looks at per tick: a million-entry task store is walked in under a day of event time. */
    static final int SWEEP_SLICE = 1_000;
    private final String storeName;
    private final long learningMs;
    private final long graceMs;
    private final long ttlMs;
    private final long stepMs;
    protected ProcessorContext<String, Detection> context;
    private KeyValueStore<String, Sighting> seen;
    private StoreSweeper<Sighting> sweeper;
    private KeyValueStore<String, byte[]> candidates;
    /** Newest event time seen here; lateness is judged by it (see CountingProcessor#seenMs for why). */
    private long seenMs = Long.MIN_VALUE;

    NoveltyProcessor(String storeName, long learningMs, long graceMs, long ttlMs) {
        this.storeName = storeName;
        this.learningMs = learningMs;
        this.graceMs = graceMs;
        this.ttlMs = ttlMs;
        this.stepMs = Sighting.refreshStep(ttlMs);
    }

    /** Adds the two stores this processor needs; returns their names. */
    static String[] stores(RuleContext ctx, String storeName) {
        return new String[] {ctx.keyValueStore(storeName, Sighting.class),
            ctx.keyValueStore(storeName + "-candidates", byte[].class)};
    }

    @Override
    public void init(ProcessorContext<String, Detection> c) {
        this.context = c;
        this.seen = c.getStateStore(storeName);
        this.candidates = c.getStateStore(storeName + "-candidates");
        this.sweeper = new StoreSweeper<>(seen, (k, s, now) -> s.expired(now, ttlMs) ? null : s, SWEEP_SLICE);
        c.schedule(TICK, PunctuationType.STREAM_TIME, t -> {
            decide(t);
            if (seenMs != Long.MIN_VALUE) {
                sweeper.sweep(seenMs); // by the newest event seen here, not stream time a settle tick pushed ahead
            }
        });
    }

    /** The live sighting under {@code key} ({@code null}: never seen, or forgotten). */
    private Sighting live(String key, long now) {
        Sighting s = seen.get(key);
        return s == null || s.expired(now, ttlMs) ? null : s;
    }

    @Override
    public void process(Record<String, KeyEvent> record) {
        if (record.value() == null) {
            // A settle after the per-principal repartition (DetectionTopology): every event before it has
            // arrived, so decide as if stream time had reached its timestamp.
            decide(record.timestamp());
            return;
        }
        String owner = owner(record.value());
        String member = owner == null ? null : member(record.value());
        if (member == null) {
            return;
        }
        long t = record.timestamp();
        seenMs = Math.max(seenMs, t);
        Sighting ownerSeen = live(owner, seenMs);
        Sighting ownerNow = ownerSeen == null ? Sighting.at(t) : ownerSeen.seenAt(t, stepMs);
        if (ownerNow != ownerSeen) {
            seen.put(owner, ownerNow);
        }
        long ownerSince = ownerNow.firstMs();
        String pair = owner + "|" + member;
        Sighting memberSeen = live(pair, seenMs);
        if (memberSeen != null && memberSeen.firstMs() <= t) {
            Sighting memberNow = memberSeen.seenAt(t, stepMs);
            if (memberNow != memberSeen) {
                seen.put(pair, memberNow);
            }
            return;
        }
        seen.put(pair, memberSeen == null ? Sighting.at(t) : memberSeen.seenAt(t, stepMs));
        boolean late = t < seenMs - graceMs;
        if (!late && t >= ownerSince + learningMs) {
            candidates.put(pair, record.value().event().unsafeRawBytes());
        }
    }

    private void decide(long streamTime) {
        long watermark = streamTime - graceMs;
        List<KeyValue<String, byte[]>> due = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = candidates.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                if (CloudTrailEvent.parse(kv.value).eventTime().toEpochMilli() <= watermark) {
                    due.add(kv);
                }
            }
        }
        for (KeyValue<String, byte[]> kv : due) {
            candidates.delete(kv.key);
            KeyEvent ke = new KeyEvent(CloudTrailEvent.parse(kv.value), null);
            long t = ke.event().eventTime().toEpochMilli();
            String owner = owner(ke);
            Sighting ownerSeen = seen.get(owner);
            Sighting memberSeen = seen.get(kv.key);
            if (memberSeen != null && memberSeen.firstMs() == t && ownerSeen != null
                    && t >= ownerSeen.firstMs() + learningMs) {
                Detection d = detection(ke, owner, member(ke), ownerSeen.firstMs());
                if (d != null) {
                    context.forward(new Record<>(d.fingerprint(), d, t));
                }
            }
        }
    }

    /** Whose set the event belongs to, or null when the event does not count. */
    protected abstract String owner(KeyEvent e);

    /** The member the event shows, or null. */
    protected abstract String member(KeyEvent e);

    protected abstract Detection detection(KeyEvent e, String owner, String member, long ownerSince);
}
