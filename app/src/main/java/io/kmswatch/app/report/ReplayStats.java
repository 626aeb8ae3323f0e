package io.kmswatch.app.report;

import io.kmswatch.events.CloudTrailEvent;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a replay saw, gathered as records stream past: KMS calls per minute by event name, top keys,
 * principals, source IPs and error codes, and the records themselves (bounded) so the report can
 * show each alert's evidence. Not thread-safe: one reader feeds it.
 */
public final class ReplayStats {
    /** Evidence records kept for the report; beyond this, alerts list eventIDs only. */
    static final int MAX_KEPT_RECORDS = 200_000;

    private final TreeMap<Long, Map<String, Integer>> perMinute = new TreeMap<>();
    private final Map<String, Long> keys = new HashMap<>();
    private final Map<String, Long> principals = new HashMap<>();
    private final Map<String, Long> sourceIps = new HashMap<>();
    private final Map<String, Long> errors = new HashMap<>();
    private final Map<String, Long> eventNames = new HashMap<>();
    private final Map<String, String> recordsById = new HashMap<>();
    private long kmsRecords;
    private long otherRecords;
    private long rejected;
    private Instant first;
    private Instant last;

    /** Counts one record read from the input. */
    public void add(CloudTrailEvent e) {
        if (!e.isKms()) {
            otherRecords++;
            if (e.keyArn() != null && recordsById.size() < MAX_KEPT_RECORDS) {
                recordsById.put(e.eventId(), e.rawJson());
            }
            return;
        }
        kmsRecords++;
        Instant t = e.eventTime();
        first = first == null || t.isBefore(first) ? t : first;
        last = last == null || t.isAfter(last) ? t : last;
        String name = e.eventName() == null ? "(none)" : e.eventName();
        perMinute.computeIfAbsent(t.getEpochSecond() / 60, m -> new HashMap<>()).merge(name, 1, Integer::sum);
        eventNames.merge(name, 1L, Long::sum);
        if (e.keyArn() != null) {
            keys.merge(e.keyArn(), 1L, Long::sum);
        }
        if (e.principal() != null) {
            principals.merge(e.principal(), 1L, Long::sum);
        }
        if (e.sourceIpAddress() != null) {
            sourceIps.merge(e.sourceIpAddress(), 1L, Long::sum);
        }
        if (!e.succeeded()) {
            errors.merge(e.errorCode(), 1L, Long::sum);
        }
        if (recordsById.size() < MAX_KEPT_RECORDS) {
            recordsById.put(e.eventId(), e.rawJson());
        }
    }

    /** Counts one rejected input. */
    public void rejected() {
        rejected++;
    }

    public long kmsRecords() {
        return kmsRecords;
    }

    public long otherRecords() {
        return otherRecords;
    }

    public long rejectedCount() {
        return rejected;
    }

    public Instant first() {
        return first;
    }

    public Instant last() {
        return last;
    }

    /** Calls per minute (epoch minute → event name → count), in time order. */
    public TreeMap<Long, Map<String, Integer>> perMinute() {
        return perMinute;
    }

    public Map<String, Long> eventNames() {
        return eventNames;
    }

    /** The original record of an eventID, when kept. */
    public String record(String eventId) {
        return recordsById.get(eventId);
    }

    public List<Map.Entry<String, Long>> topKeys(int n) {
        return top(keys, n);
    }

    public List<Map.Entry<String, Long>> topPrincipals(int n) {
        return top(principals, n);
    }

    public List<Map.Entry<String, Long>> topSourceIps(int n) {
        return top(sourceIps, n);
    }

    public List<Map.Entry<String, Long>> topErrors(int n) {
        return top(errors, n);
    }

    static List<Map.Entry<String, Long>> top(Map<String, Long> counts, int n) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(n)
                .map(e -> Map.entry(e.getKey(), e.getValue()))
                .toList();
    }

    /** The event names by total count, descending, for the plot's legend order. */
    public List<String> eventNamesByCount() {
        Map<String, Long> sorted = new LinkedHashMap<>();
        top(eventNames, Integer.MAX_VALUE).forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return List.copyOf(sorted.keySet());
    }
}
