package io.kmswatch.emulator.traffic;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/**
 * The traffic generator's meters:
 * <ul>
 *   <li>{@code kmswatch.traffic.calls{workload,outcome}}: KMS calls made; {@code workload} is a workload name
 *       or {@code scenario}/{@code setup}, {@code outcome} is {@code success} or the AWS error code</li>
 *   <li>{@code kmswatch.traffic.scenarios{type}}: scenarios injected (labels written)</li>
 * </ul>
 * Registered on an internal composite so counting starts before an application registry is bound.
 */
public final class TrafficMetrics implements MeterBinder {
    private final CompositeMeterRegistry composite = new CompositeMeterRegistry();

    @Override
    public void bindTo(MeterRegistry registry) {
        composite.add(registry);
    }

    void call(String workload, String outcome) {
        Counter.builder("kmswatch.traffic.calls").description("KMS calls made by the traffic generator")
                .tag("workload", workload).tag("outcome", outcome).register(composite).increment();
    }

    void scenario(String type) {
        Counter.builder("kmswatch.traffic.scenarios").description("Incident and look-alike scenarios injected")
                .tag("type", type).register(composite).increment();
    }
}
