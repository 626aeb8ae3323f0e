/**
 * The traffic generator: a seeded organisation ({@link io.kmswatch.emulator.traffic.TrafficWorld},
 * described by a {@link io.kmswatch.emulator.traffic.TrafficProfile}) whose applications drive the emulator
 * over HTTP with the AWS SDK — one KmsClient per principal, signed with its own key, from its own loopback
 * address — with a daily and weekly shape (or a flat rate, {@link io.kmswatch.emulator.traffic.TrafficShape}),
 * plus incident scenarios and benign look-alikes, each written as a {@link io.kmswatch.events.ScenarioLabel} when
 * it ends. Entry point:
 * {@link io.kmswatch.emulator.traffic.TrafficGenerator} with a {@link io.kmswatch.emulator.traffic.TrafficConfig}.
 *
 * <p>Run it from the {@code kmswatch traffic} command, or from code:
 * <pre>
 * TrafficConfig config = TrafficConfig.load(Path.of("traffic.yaml"));   // or new TrafficConfig(...)
 * try (TrafficGenerator generator = new TrafficGenerator(config, labelProducer::send)) {
 *     generator.emulator().ifPresent(e -&gt; e.addListener(feed));          // in-process emulator's CloudTrail
 *     TrafficSummary summary = generator.run();                          // blocks for duration / clockSpeed
 * }
 * </pre>
 */
package io.kmswatch.emulator.traffic;
