package io.kmswatch.emulator;

import io.kmswatch.emulator.state.KeyStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The emulator's meters:
 * <ul>
 *   <li>{@code kmswatch.emulator.requests{operation,outcome}}: requests by operation and outcome
 *       ({@code success} or the AWS error type); {@code operation} is a known operation name or {@code unknown}</li>
 *   <li>{@code kmswatch.emulator.request.duration{operation}}: request latency</li>
 *   <li>{@code kmswatch.emulator.trail.records}: CloudTrail records emitted</li>
 *   <li>{@code kmswatch.emulator.keys}: keys in the store</li>
 * </ul>
 * Meters are created on an internal composite registry so the emulator can count before the application binds
 * a registry; {@link #bindTo} adds the application's registry to it.
 */
public final class EmulatorMetrics implements MeterBinder {
    private final CompositeMeterRegistry composite = new CompositeMeterRegistry();
    private final Set<String> knownOperations;
    private final AtomicLong trailRecords = new AtomicLong();
    private final java.util.Map<String, Counter> counters = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

    public EmulatorMetrics(Set<String> knownOperations, KeyStore store) {
        this.knownOperations = Set.copyOf(knownOperations);
        Gauge.builder("kmswatch.emulator.keys", store, s -> s.allKeys().size())
                .description("KMS keys held by the emulator, all accounts and regions").register(composite);
        io.micrometer.core.instrument.FunctionCounter.builder("kmswatch.emulator.trail.records", trailRecords,
                        AtomicLong::get)
                .description("CloudTrail records the emulator emitted").register(composite);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        composite.add(registry);
    }

    /** Records one finished request. */
    public void request(String operation, String outcome, Duration latency) {
        String op = knownOperations.contains(operation) ? operation : "unknown";
        // Meters are cached: registry lookups on every request showed up in profiles.
        counters.computeIfAbsent(op + "|" + outcome, k -> Counter.builder("kmswatch.emulator.requests")
                .description("KMS and CloudTrail API requests answered")
                .tag("operation", op).tag("outcome", outcome).register(composite)).increment();
        timers.computeIfAbsent(op, k -> Timer.builder("kmswatch.emulator.request.duration")
                .description("Time to answer an API request").tag("operation", op).register(composite))
                .record(latency);
    }

    public void trailRecord() {
        trailRecords.incrementAndGet();
    }
}
