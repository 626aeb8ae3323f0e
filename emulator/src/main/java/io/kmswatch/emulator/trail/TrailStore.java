package io.kmswatch.emulator.trail;

import io.kmswatch.events.CloudTrailEvent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * The records LookupEvents answers from: the last 90 emulator days, at most {@code maxEvents} of them (oldest
 * dropped first). Each record gets a sequence number in emission order; paging tokens are sequence numbers, so
 * a page boundary stays put while new records arrive.
 */
public final class TrailStore {
    /** LookupEvents only covers the last 90 days. */
    public static final Duration RETENTION = Duration.ofDays(90);

    /** One kept record with the fields LookupEvents filters and summarises on. */
    public record Stored(long seq, CloudTrailEvent event, String accessKeyId, String username) {
    }

    private final ArrayDeque<Stored> records = new ArrayDeque<>();
    private final int maxEvents;
    private final Clock clock;
    private long nextSeq = 1;

    public TrailStore(int maxEvents, Clock clock) {
        this.maxEvents = maxEvents;
        this.clock = clock;
    }

    public synchronized void add(CloudTrailEvent event, String accessKeyId, String username) {
        records.addLast(new Stored(nextSeq++, event, accessKeyId, username));
        while (records.size() > maxEvents) {
            records.removeFirst();
        }
    }

    /**
     * Newest-first records older than sequence {@code beforeSeq} (exclusive; {@code Long.MAX_VALUE} for the
     * first page) that match {@code filter}, at most {@code limit + 1} of them (the extra one tells whether
     * there is a next page).
     */
    public synchronized List<Stored> newestFirst(long beforeSeq, Predicate<Stored> filter, int limit) {
        Instant horizon = clock.instant().minus(RETENTION);
        while (!records.isEmpty() && records.peekFirst().event().eventTime().isBefore(horizon)) {
            records.removeFirst();
        }
        List<Stored> out = new ArrayList<>();
        Iterator<Stored> it = records.descendingIterator();
        while (it.hasNext() && out.size() <= limit) {
            Stored s = it.next();
            if (s.seq() < beforeSeq && filter.test(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** Every kept record, oldest first (for tests and tools). */
    public synchronized List<CloudTrailEvent> all() {
        return records.stream().map(Stored::event).toList();
    }

    public synchronized int size() {
        return records.size();
    }
}
