package io.kmswatch.streams.detect;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.events.KeyArns;
import io.kmswatch.events.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import io.kmswatch.streams.state.StoreSweeper;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Counts decrypt-like calls per key (or key and principal) and compares each window with a baseline.
 *
 * <p>The baseline of window W is the median count of the {@code L = learningPeriod / window} windows
 * that end at least {@code grace} before W starts (windows [W − (g+L), W − (g+1)], g = ⌈grace/window⌉).
 * Those windows are closed — no event can still be added to them when any event of W is processed —
 * so the baseline, and with it every firing, is the same whatever order the events arrived in within
 * the grace. Missing windows count as zero (a median, unlike a mean, is not dragged up by an earlier
 * spike). An entity is judged only once its first event is older than the whole baseline range.
 *
 * <p>The first sighting of an entity lives {@code forgetAfter} (default 30 days) after its last decrypt: an
 * entity idle that long learns again when it comes back, and a sweep (a slice of the store each minute of
 * event time) deletes forgotten entities. The window counts live as long as the window store's retention.
 */
final class DecryptSpikeProcessor extends CountingProcessor {
    /** AWS KMS request price: $0.03 per 10,000 requests. */
    static final double USD_PER_REQUEST = 0.03 / 10_000;

    private final RuleContext ctx;
    private final String firstSeenStore;
    private final boolean perPrincipal;
    private final int gap;
    private final int learning;
    private final long ttlMs;
    private final long stepMs;
    private KeyValueStore<String, Sighting> firstSeen;
    private StoreSweeper<Sighting> sweeper;
    /** The newest event time seen here (the sweep's now). */
    private long newestMs = Long.MIN_VALUE;
    /**
     * Learned baselines by entity and window start. A learned baseline never changes (its windows are
     * closed and an entity stays learned), so it is computed once instead of on every event.
     */
    private final Map<String, long[]> learned = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > 50_000;
        }
    };

    DecryptSpikeProcessor(RuleContext ctx, String store, String firstSeenStore, boolean perPrincipal) {
        super(DecryptSpikeDetection.ID, store, ctx.settings().window(), ctx.grace(), ctx.metrics());
        this.ctx = ctx;
        this.firstSeenStore = firstSeenStore;
        this.perPrincipal = perPrincipal;
        this.gap = gapWindows(ctx.settings().window(), ctx.grace());
        this.learning = learningWindows(ctx.settings().window(), ctx.settings().learningPeriod());
        this.ttlMs = ctx.settings().forgetAfter().toMillis();
        this.stepMs = Sighting.refreshStep(ttlMs);
    }

    static int gapWindows(Duration window, Duration grace) {
        return (int) ((grace.toMillis() + window.toMillis() - 1) / window.toMillis());
    }

    static int learningWindows(Duration window, Duration learningPeriod) {
        return (int) Math.max(1, learningPeriod.toMillis() / window.toMillis());
    }

    @Override
    public void init(ProcessorContext<String, Detection> c) {
        super.init(c);
        firstSeen = c.getStateStore(firstSeenStore);
        sweeper = new StoreSweeper<>(firstSeen, (k, v, now) -> v.expired(now, ttlMs) ? null : v,
                NoveltyProcessor.SWEEP_SLICE);
        c.schedule(Duration.ofMinutes(1), PunctuationType.STREAM_TIME, t -> {
            if (newestMs != Long.MIN_VALUE) {
                sweeper.sweep(newestMs);
            }
        });
    }

    /** When the entity was first seen, or null (never, or forgotten). */
    private Long since(String entity) {
        Sighting s = firstSeen.get(entity);
        return s == null || s.expired(newestMs, ttlMs) ? null : s.firstMs();
    }

    @Override
    protected String entity(KeyEvent ke) {
        CloudTrailEvent e = ke.event();
        if (!e.isKms() || !e.succeeded() || !e.operation().isDecryptLike() || e.keyArn() == null) {
            return null;
        }
        if (perPrincipal && e.isServiceCaller()) {
            // An AWS service calling on the principal's behalf (S3 batch re-encryption, EBS attach…) is not the
            // principal's own behaviour: it still loads the key (the per-key count), never the principal's spike.
            return null;
        }
        String entity = perPrincipal ? e.keyArn() + "|" + e.principal() : e.keyArn();
        long t = e.eventTime().toEpochMilli();
        newestMs = Math.max(newestMs, t);
        Sighting before = firstSeen.get(entity);
        if (before != null && before.expired(newestMs, ttlMs)) {
            before = null;
        }
        Sighting after = before == null ? Sighting.at(t) : before.seenAt(t, stepMs);
        if (after != before) {
            firstSeen.put(entity, after);
        }
        return entity;
    }

    /** The median count of the baseline windows of {@code windowStart}, or -1 while still learning. */
    long baseline(String entity, long windowStart) {
        long[] memo = learned.get(entity);
        if (memo != null && memo[0] == windowStart) {
            return memo[1];
        }
        long base = computeBaseline(entity, windowStart);
        if (base >= 0) {
            learned.put(entity, new long[] {windowStart, base});
        }
        return base;
    }

    private long computeBaseline(String entity, long windowStart) {
        long from = windowStart - (long) (gap + learning) * sizeMs;
        long to = windowStart - (long) (gap + 1) * sizeMs;
        Long seen = since(entity);
        if (seen == null || seen > from) {
            return -1;
        }
        long[] counts = new long[learning];
        try (WindowStoreIterator<WindowBucket> it = buckets.fetch(entity, Instant.ofEpochMilli(from), Instant.ofEpochMilli(to))) {
            while (it.hasNext()) {
                KeyValue<Long, WindowBucket> kv = it.next();
                int i = (int) ((kv.key - from) / sizeMs);
                if (i >= 0 && i < learning) {
                    counts[i] = kv.value.count();
                }
            }
        }
        Arrays.sort(counts);
        return learning % 2 == 1 ? counts[learning / 2] : (counts[learning / 2 - 1] + counts[learning / 2]) / 2;
    }

    @Override
    protected long threshold(String entity, long windowStart, KeyEvent e) {
        long base = baseline(entity, windowStart);
        if (base < 0) {
            return Long.MAX_VALUE;
        }
        return Math.max(ctx.settings().floor(), (long) Math.floor(ctx.settings().factor() * base) + 1);
    }

    @Override
    protected Detection detection(KeyEvent ke, String entity, long windowStart, WindowBucket b, int tier, long threshold) {
        CloudTrailEvent e = ke.event();
        String key = e.keyArn();
        long base = baseline(entity, windowStart);
        double windowsPerMonth = Duration.ofDays(30).toMillis() / (double) sizeMs;
        double monthly = Math.max(0, b.count() - base) * windowsPerMonth * USD_PER_REQUEST;
        String who = perPrincipal ? e.principal() : null;
        String region = KeyArns.regionOf(key);
        long minutes = Duration.ofMillis(sizeMs).toMinutes();
        return Findings.about(DecryptSpikeDetection.ID, tier >= 2 ? Severity.CRITICAL : ctx.settings().severity(), e)
                .principal(who).fingerprintOf(key, who == null ? "*" : who, windowStart).tier(tier).count(b.count())
                .span(Instant.ofEpochMilli(b.firstMs()), Instant.ofEpochMilli(b.lastMs())).evidence(b.evidence())
                .title("Decrypt spike on " + key + (who != null ? " by " + who : "") + ": " + b.count()
                        + " calls in " + minutes + " min (baseline " + base + ")")
                .summary(b.count() + " Decrypt/GenerateDataKey calls" + (who != null ? " by " + who : "") + " in "
                        + minutes + " minutes against a baseline of " + base + " per window (factor "
                        + ctx.settings().factor() + ", floor " + ctx.settings().floor() + "). Kept up for a month this "
                        + "costs about $" + String.format(Locale.ROOT, "%.2f", monthly) + " more in KMS requests.")
                .attr("observed", b.count()).attr("baseline", base).attr("factor", ctx.settings().factor())
                .attr("floor", ctx.settings().floor()).attr("threshold", threshold)
                .attr("scope", perPrincipal ? "key+principal" : "key")
                .attr("windowStart", Instant.ofEpochMilli(windowStart))
                .attr("monthlyCostImpactUsd", String.format(Locale.ROOT, "%.2f", monthly))
                .runbook(Runbooks.forKey(key, region, List.of(
                        "Which principals and source IPs make the calls? A workload in a loop, or data being pulled out?",
                        "If malicious: disable the credentials in IAM. If a bug: fix the caller (cache data keys)."),
                        Runbooks.lookupByEventName("Decrypt", region)))
                .build();
    }
}
