package io.kmswatch.streams;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.KeyArns;
import io.kmswatch.events.KmsOperation;
import io.kmswatch.events.Severity;
import io.kmswatch.streams.detect.KeyFacts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The detect stage's meters. Processors record into this object; {@link #bindTo} attaches it to the
 * process's registry (before or after the topology starts). Labels are bounded: event names are KMS
 * operations (else {@code other}), detections and severities are fixed sets, skip reasons are
 * categories.
 *
 * <ul>
 *   <li>{@code kmswatch.streams.events{event_name,outcome}}: deduplicated events processed</li>
 *   <li>{@code kmswatch.streams.detections{detection,severity}}: detection records written</li>
 *   <li>{@code kmswatch.streams.duplicates}: records dropped because their eventID was already seen</li>
 *   <li>{@code kmswatch.streams.late{stage}}: records dropped as later than the grace or the dedup retention</li>
 *   <li>{@code kmswatch.streams.records.skipped{reason}}: values that could not be read, sent to kms-events-rejected;
 *       {@code no_value}: records with neither a value nor a control header (nothing to keep)</li>
 *   <li>{@code kmswatch.streams.keys{state}}, {@code kmswatch.streams.keys.without.rotation},
 *       {@code kmswatch.streams.keys.pending.deletion}, {@code kmswatch.streams.keys.soonest.deletion}:
 *       the key inventory held by this process's tasks</li>
 *   <li>{@code kmswatch.streams.key.deletion.timestamp{key_arn}}: the deletion date (epoch seconds) of each
 *       key pending deletion, one series per such key, removed when the key leaves that state (few keys
 *       are ever pending deletion, so the label stays bounded)</li>
 *   <li>{@code kmswatch.streams.key.decrypts{key_id}}: successful Decrypt/GenerateDataKey* calls per key;
 *       the key id for the first {@value #MAX_KEY_IDS} keys this process sees, then {@code other}</li>
 *   <li>{@code kmswatch.streams.errors{error_code}}: failed calls by error code, from a fixed allow-list of
 *       KMS/AWS codes ({@link #ERROR_CODES}), else {@code other}</li>
 *   <li>{@code kmswatch.streams.cross.account{event_name}}: calls whose caller's account is not the key's</li>
 *   <li>{@code kmswatch.streams.caller.calls{caller_type=service|direct}}: KMS calls made by an AWS service
 *       on a principal's behalf ({@code invokedBy}, service events) or by the principal itself</li>
 *   <li>{@code kmswatch.streams.process.duration}: time a record spends in the processors of one
 *       sub-topology (the per-key one, and the per-principal one after the repartition)</li>
 * </ul>
 * Meters whose tags are known in advance ({@code duplicates}, {@code late{stage}}, {@code records.skipped{reason}},
 * {@code caller.calls{caller_type}}, {@code process.duration}) exist at zero from construction, so dashboards
 * have series before the first event.
 */
public final class StreamsMetrics implements MeterBinder {
    /** Key states tracked by the inventory gauges. */
    public static final List<String> KEY_STATES = List.of("Enabled", "Disabled", "PendingDeletion", "PendingImport",
            "Deleted", KeyFacts.UNKNOWN);

    /** Stages that drop late records ({@code kmswatch.streams.late{stage}}): dedup and the counting detections. */
    public static final List<String> LATE_STAGES = List.of("dedup", "decrypt-spike", "access-denied-burst",
            "key-unusable-failures", "cross-account-key-use", "external-key-encryption");
    /** Skip reasons known in advance ({@code kmswatch.streams.records.skipped{reason}}). */
    public static final List<String> SKIP_REASONS = List.of("unreadable", "not_valid_json", "processing_error", "no_value");
    /** Skip reason of a kms-events record with neither a value nor a control header: nothing to read or keep. */
    public static final String NO_VALUE = "no_value";
    /** Distinct key ids labelled in {@code kmswatch.streams.key.decrypts} before the rest count as {@code other}. */
    public static final int MAX_KEY_IDS = 50;
    /** Error codes labelled in {@code kmswatch.streams.errors}; any other code counts as {@code other}. */
    public static final Set<String> ERROR_CODES = Set.of("AccessDenied", "AccessDeniedException",
            "AlreadyExistsException", "CloudHsmClusterInvalidConfigurationException",
            "CustomKeyStoreInvalidStateException", "CustomKeyStoreNotFoundException", "DependencyTimeoutException",
            "DisabledException", "DryRunOperationException", "ExpiredImportTokenException", "ExpiredTokenException",
            "IncorrectKeyException", "IncorrectKeyMaterialException", "InvalidAliasNameException",
            "InvalidArnException", "InvalidCiphertextException", "InvalidClientTokenId", "InvalidGrantIdException",
            "InvalidGrantTokenException", "InvalidImportTokenException", "InvalidKeyUsageException",
            "InvalidMarkerException", "KeyUnavailableException", "KMSInternalException", "KMSInvalidMacException",
            "KMSInvalidSignatureException", "KMSInvalidStateException", "LimitExceededException",
            "MalformedPolicyDocumentException", "NotFoundException", "RequestExpired", "SignatureDoesNotMatch",
            "TagException", "ThrottlingException", "UnauthorizedOperation", "Client.UnauthorizedOperation",
            "UnrecognizedClientException", "UnsupportedOperationException", "ValidationException",
            "XksKeyNotFoundException", "XksProxyInvalidResponseException", "XksProxyUriUnreachableException");

    private final CompositeMeterRegistry registry = new CompositeMeterRegistry();
    private static final String KEY_DECRYPTS_DESCRIPTION =
            "Successful Decrypt and GenerateDataKey* calls per key (first " + MAX_KEY_IDS + " keys, else other)";
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
    /** The events counters by raw eventName (failure, success): one lookup per event instead of a label and a tag list. */
    private final Map<String, Counter[]> eventCounters = new ConcurrentHashMap<>();
    private static final int MAX_EVENT_NAMES = 1_000;
    private final Set<InventoryTally> tallies = ConcurrentHashMap.newKeySet();
    private final Set<String> keyIds = ConcurrentHashMap.newKeySet();
    /** Deletion date (epoch ms) per key pending deletion, and its gauge. */
    private final Map<String, Long> deletionDates = new ConcurrentHashMap<>();
    private final Map<String, Meter> deletionGauges = new ConcurrentHashMap<>();
    private final Timer processDuration;

    public StreamsMetrics() {
        duplicateCounter();
        for (String stage : LATE_STAGES) {
            lateCounter(stage);
        }
        for (String reason : SKIP_REASONS) {
            skippedCounter(reason);
        }
        for (String type : List.of("service", "direct")) {
            callerCounter(type);
        }
        processDuration = Timer.builder("kmswatch.streams.process.duration")
                .description("Time one record spends in the processors of a sub-topology (detections included)")
                .register(registry);
        for (String state : KEY_STATES) {
            Gauge.builder("kmswatch.streams.keys", this, m -> m.keys(state))
                    .description("Keys in the inventory of this process's tasks, by key state")
                    .tag("state", state).register(registry);
        }
        Gauge.builder("kmswatch.streams.keys.without.rotation", this, m -> m.sum(InventoryTally::withoutRotation))
                .description("Keys whose automatic rotation was seen disabled (or never enabled since CreateKey)")
                .register(registry);
        Gauge.builder("kmswatch.streams.keys.pending.deletion", this, m -> m.sum(InventoryTally::pendingDeletion))
                .description("Keys scheduled for deletion and not cancelled").register(registry);
        Gauge.builder("kmswatch.streams.keys.soonest.deletion", this, StreamsMetrics::soonestDeletionEpochSeconds)
                .description("Epoch seconds of the soonest deletion date among keys pending deletion (NaN when none)")
                .baseUnit("seconds").register(registry);
    }

    @Override
    public void bindTo(MeterRegistry target) {
        registry.add(Objects.requireNonNull(target, "registry"));
    }

    /** One deduplicated event processed. */
    public void event(String eventName, boolean succeeded) {
        Counter[] pair = eventCounters.get(eventName);
        if (pair == null) {
            String name = eventNameLabel(eventName);
            pair = new Counter[] {eventCounter(name, "failure"), eventCounter(name, "success")};
            if (eventCounters.size() < MAX_EVENT_NAMES) { // names are attacker-chosen text: bound the memo
                eventCounters.putIfAbsent(eventName, pair);
            }
        }
        pair[succeeded ? 1 : 0].increment();
    }

    private Counter eventCounter(String label, String outcome) {
        return counter("kmswatch.streams.events", "Deduplicated CloudTrail events processed by the detections",
                "event_name", label, "outcome", outcome);
    }

    public void detection(String detection, Severity severity) {
        counter("kmswatch.streams.detections", "Detection records written to kms-detections",
                "detection", detection, "severity", severity.label()).increment();
    }

    /**
     * A record matched a Sigma detection rule; {@code folded}: into an alert an earlier match raised
     * ({@code detections.sigma.fold}) rather than raising its own.
     */
    public void sigmaMatch(String detection, boolean folded) {
        counter("kmswatch.streams.sigma.matches", "Records that matched a Sigma detection rule",
                "detection", detection, "folded", Boolean.toString(folded)).increment();
    }

    public void duplicate() {
        duplicateCounter().increment();
    }

    public void lateDropped(String stage) {
        lateCounter(stage).increment();
    }

    public void skipped(String reason) {
        skippedCounter(reason).increment();
    }

    /**
     * One deduplicated event: {@link #event(String, boolean)} plus the traffic meters (decrypts per key,
     * errors, cross-account calls, service or direct caller).
     */
    public void observed(CloudTrailEvent e) {
        event(e.eventName(), e.succeeded());
        if (e.errorCode() != null && !e.errorCode().isEmpty()) {
            String code = ERROR_CODES.contains(e.errorCode()) ? e.errorCode() : "other";
            counter("kmswatch.streams.errors", "Failed calls by error code (allow-listed codes, else other)",
                    "error_code", code).increment();
        }
        if (!e.isKms()) {
            return;
        }
        callerCounter(e.isServiceCaller() ? "service" : "direct").increment();
        if (e.isCrossAccount()) {
            counter("kmswatch.streams.cross.account", "KMS calls on a key of another account than the caller's",
                    "event_name", eventNameLabel(e.eventName())).increment();
        }
        String arn = e.keyArn();
        if (e.succeeded() && e.operation().isDecryptLike() && arn != null) {
            counter("kmswatch.streams.key.decrypts", KEY_DECRYPTS_DESCRIPTION,
                    "key_id", keyIdLabel(KeyArns.keyIdOf(arn))).increment();
        }
    }

    /** Time one record spent in a sub-topology's processors. */
    public void processed(long nanos) {
        processDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    private String keyIdLabel(String keyId) {
        if (keyIds.contains(keyId)) {
            return keyId;
        }
        synchronized (keyIds) {
            if (keyIds.size() < MAX_KEY_IDS) {
                keyIds.add(keyId);
                return keyId;
            }
        }
        return keyIds.contains(keyId) ? keyId : "other";
    }

    private static String eventNameLabel(String eventName) {
        return KmsOperation.fromValue(eventName) != KmsOperation.UNKNOWN
                || "PutObject".equals(eventName) || "CopyObject".equals(eventName) ? eventName : "other";
    }

    private Counter duplicateCounter() {
        return counter("kmswatch.streams.duplicates", "Records dropped because their eventID was already processed");
    }

    private Counter lateCounter(String stage) {
        return counter("kmswatch.streams.late", "Records dropped for arriving later than the grace (or dedup retention)",
                "stage", stage);
    }

    private Counter skippedCounter(String reason) {
        return counter("kmswatch.streams.records.skipped",
                "Records that could not be read, sent to kms-events-rejected", "reason", reason);
    }

    private Counter callerCounter(String type) {
        return counter("kmswatch.streams.caller.calls",
                "KMS calls made by an AWS service on a principal's behalf (service) or by the principal (direct)",
                "caller_type", type);
    }

    /** The deletion date of a key pending deletion (null: no longer pending): one gauge series per such key. */
    void pendingDeletion(String keyArn, Long deletionMs) {
        if (deletionMs == null) {
            deletionDates.remove(keyArn);
            Meter gauge = deletionGauges.remove(keyArn);
            if (gauge != null) {
                registry.remove(gauge);
            }
            return;
        }
        deletionDates.put(keyArn, deletionMs);
        deletionGauges.computeIfAbsent(keyArn, k -> Gauge.builder("kmswatch.streams.key.deletion.timestamp", this,
                        m -> m.deletionSeconds(k))
                .description("Deletion date (epoch seconds) of a key pending deletion, one series per such key")
                .baseUnit("seconds").tag("key_arn", k).register(registry));
    }

    private double deletionSeconds(String keyArn) {
        Long ms = deletionDates.get(keyArn);
        return ms == null ? Double.NaN : ms / 1000.0;
    }

    /** A task's inventory tally, counted in the gauges until {@link #removeTally}. */
    public void addTally(InventoryTally t) {
        tallies.add(t);
        t.owner = this;
        t.pending.forEach(this::pendingDeletion);
    }

    /** Stops counting a task's tally (the task closed or moved): its keys' deletion series go with it. */
    public void removeTally(InventoryTally t) {
        tallies.remove(t);
        t.owner = null;
        t.pending.keySet().forEach(k -> pendingDeletion(k, null));
    }

    private Counter counter(String name, String description, String... tags) {
        // Called several times per event: the lookup key is a list of the interned name and tag strings,
        // so no string is built on the hot path.
        List<String> id = tags.length == 0 ? List.of(name) : switch (tags.length) {
            case 2 -> List.of(name, tags[0], tags[1]);
            case 4 -> List.of(name, tags[0], tags[1], tags[2], tags[3]);
            default -> {
                List<String> all = new ArrayList<>(tags.length + 1);
                all.add(name);
                all.addAll(Arrays.asList(tags));
                yield all;
            }
        };
        Counter c = counters.get(id);
        return c != null ? c : counters.computeIfAbsent(id, k -> Counter.builder(name).description(description)
                .tags(tags).register(registry));
    }

    private double keys(String state) {
        long n = 0;
        for (InventoryTally t : tallies) {
            n += t.keys(state);
        }
        return n;
    }

    private double sum(java.util.function.ToLongFunction<InventoryTally> f) {
        long n = 0;
        for (InventoryTally t : tallies) {
            n += f.applyAsLong(t);
        }
        return n;
    }

    private double soonestDeletionEpochSeconds() {
        long min = Long.MAX_VALUE;
        for (InventoryTally t : tallies) {
            min = Math.min(min, t.soonestDeletionMs());
        }
        return min == Long.MAX_VALUE ? Double.NaN : min / 1000.0;
    }

    /** The inventory counts of one task; updated by that task's thread, read by the gauges. */
    public static final class InventoryTally {
        private final Map<String, AtomicLong> byState = new ConcurrentHashMap<>();
        private final AtomicLong withoutRotation = new AtomicLong();
        private final Map<String, Long> pending = new ConcurrentHashMap<>();
        private volatile StreamsMetrics owner;

        /** Moves a key from its old facts (null when new) to its new facts. */
        public void move(KeyFacts before, KeyFacts after) {
            if (before != null) {
                byState.computeIfAbsent(before.state(), s -> new AtomicLong()).decrementAndGet();
                if (noRotation(before)) {
                    withoutRotation.decrementAndGet();
                }
            }
            if (after != null) {
                byState.computeIfAbsent(after.state(), s -> new AtomicLong()).incrementAndGet();
                if (noRotation(after)) {
                    withoutRotation.incrementAndGet();
                }
                StreamsMetrics m = owner;
                if (after.isPendingDeletion() && after.pendingDeletionDate() != null) {
                    long date = after.pendingDeletionDate().toEpochMilli();
                    pending.put(after.keyArn(), date);
                    if (m != null) {
                        m.pendingDeletion(after.keyArn(), date);
                    }
                } else if (pending.remove(after.keyArn()) != null && m != null) {
                    m.pendingDeletion(after.keyArn(), null);
                }
            }
        }

        private static boolean noRotation(KeyFacts f) {
            return Boolean.FALSE.equals(f.rotationEnabled()) && !"Deleted".equals(f.state());
        }

        long keys(String state) {
            AtomicLong n = byState.get(state);
            return n == null ? 0 : n.get();
        }

        long withoutRotation() {
            return withoutRotation.get();
        }

        long pendingDeletion() {
            return pending.size();
        }

        long soonestDeletionMs() {
            long min = Long.MAX_VALUE;
            for (long v : pending.values()) {
                min = Math.min(min, v);
            }
            return min;
        }
    }
}
