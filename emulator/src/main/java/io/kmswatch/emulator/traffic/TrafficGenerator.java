package io.kmswatch.emulator.traffic;

import io.kmswatch.emulator.EmulatorConfig;
import io.kmswatch.emulator.EmulatorException;
import io.kmswatch.emulator.KmsEmulator;
import io.kmswatch.events.ScenarioLabel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Drives a KMS emulator with a seeded organisation's everyday traffic and labelled incidents.
 *
 * <p>Construct it with a {@link TrafficConfig}: without an endpoint it starts an in-process emulator that knows
 * the world's principals ({@link #emulator()} exposes it, so an application can subscribe to its CloudTrail
 * records before {@link #run()}); with an endpoint, that emulator must have been started with
 * {@link #emulatorConfig(TrafficConfig, EmulatorConfig)} and the same clock speed. {@link #run()} sets the world
 * up through the SDK, then replays the plan — background work units and the chosen scenarios — at emulator
 * times, one call at a time, and returns when the planned duration is over; {@link #close()} stops early.
 *
 * <p>Reproducible: the plan (what runs when) depends only on the configuration, and steps run in plan order,
 * so the same seed gives the same calls and, for an in-process emulator started with {@link #emulatorConfig}
 * (which draws key ids from the seed and starts its clock at the run's clock start), byte-identical labels at
 * any clock speed: the plan is laid out from the emulator clock's start, never from how long anything took. A
 * run that falls behind its plan on a slow machine makes its calls late, but its labels stay the planned ones.
 */
public final class TrafficGenerator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrafficGenerator.class);

    /** Every scenario, in the order {@code --scenarios all} injects them. */
    static final List<Scenario> SCENARIOS = List.of(
            new KeyDisabledCleanupScenario(),
            new KeyDeletionScheduledScenario(),
            new KeyDestructionChainScenario(),
            new KeyPolicyOpenedScenario(),
            new KeyPolicyExternalAccountScenario(),
            new GrantToExternalPrincipalScenario(),
            new UntrustedCrossAccountDecryptScenario(),
            new ExternalKeyEncryptionScenario(),
            new AccessDeniedEnumerationScenario(),
            new RootKeyUsageScenario(),
            new KeyRotationDisabledScenario(),
            new KeyMaterialDeletedScenario(),
            new PlannedKeyRetirementLookAlike(),
            new TrustedPartnerUseLookAlike(),
            // Last, so that detectors that learn baselines and first sightings have seen the most traffic.
            new S3BatchViaServiceLookAlike(),
            new SmoothDeployLookAlike(),
            new DecryptSpikeScenario(),
            new CredentialCompromiseScenario());

    private final TrafficConfig config;
    private final TrafficWorld world;
    private final KmsEmulator ownEmulator;
    private final KmsEmulator emulator;
    private final Consumer<ScenarioLabel> labelSink;
    private final TrafficMetrics metrics = new TrafficMetrics();
    private volatile boolean stopped;
    private volatile Consumer<byte[]> plaintextTap;

    /**
     * @param config    the run; never null
     * @param labelSink receives each label as its scenario ends (after it is written to the labels file); never null
     * @throws EmulatorException when the profile cannot be read or the in-process emulator cannot start
     */
    public TrafficGenerator(TrafficConfig config, Consumer<ScenarioLabel> labelSink) {
        this(config, null, labelSink);
    }

    /**
     * Drives an emulator the caller started in this process (with {@link #emulatorConfig}); the caller closes it.
     *
     * @param emulator null to start one (when the config has no endpoint) or to use the config's endpoint
     */
    public TrafficGenerator(TrafficConfig config, KmsEmulator emulator, Consumer<ScenarioLabel> labelSink) {
        this.config = config;
        this.labelSink = labelSink;
        this.world = TrafficWorld.create(config.profile() == null ? TrafficProfile.defaults()
                : TrafficProfile.load(config.profile()), config.seed());
        if (emulator == null && config.endpoint() == null) {
            this.ownEmulator = KmsEmulator.start(emulatorConfig(config, EmulatorConfig.defaults().withPort(0)));
            this.emulator = ownEmulator;
        } else {
            this.ownEmulator = null;
            this.emulator = emulator;
        }
    }

    /**
     * The emulator configuration that knows this run's world: {@code base} with the world's accounts, key ids
     * drawn from the run's seed (so the same seed creates the same key ARNs) and, for an in-process emulator,
     * the run's clock start and speed.
     */
    public static EmulatorConfig emulatorConfig(TrafficConfig config, EmulatorConfig base) {
        TrafficWorld world = TrafficWorld.create(config.profile() == null ? TrafficProfile.defaults()
                : TrafficProfile.load(config.profile()), config.seed());
        return world.emulatorConfig(base).withClock(config.clockStart(), config.clockSpeed())
                .withKeyIdSeed(config.seed());
    }

    /** The names {@code --scenarios} accepts (besides {@code all}). */
    public static List<String> scenarioTypes() {
        return SCENARIOS.stream().map(Scenario::type).toList();
    }

    /** The in-process emulator being driven, if any. */
    public Optional<KmsEmulator> emulator() {
        return Optional.ofNullable(emulator);
    }

    public TrafficWorld world() {
        return world;
    }

    /**
     * Shows every plaintext the simulated clients send or receive (Encrypt inputs, Decrypt outputs, data keys,
     * private keys of data key pairs, random bytes, raw key material before import) to {@code observer}, so that
     * a leak test knows the secrets of the run. Call before {@link #run()}; without a tap nothing is observed.
     * The observer runs on the generator thread, must not block, and must copy what it keeps.
     */
    public void tapPlaintexts(Consumer<byte[]> observer) {
        this.plaintextTap = observer;
    }

    /** Meters {@code kmswatch.traffic.calls{workload,outcome}} and {@code kmswatch.traffic.scenarios{type}}. */
    public TrafficMetrics metrics() {
        return metrics;
    }

    /**
     * Sets the world up and runs the plan to its end (or until {@link #close()}).
     *
     * @return what the run did
     * @throws EmulatorException when the labels file cannot be written or a scenario name is unknown
     */
    public TrafficSummary run() {
        List<Scenario> chosen = resolve(config.scenarios());
        URI endpoint = emulator != null ? emulator.endpoint() : config.endpoint();
        Clock clock = emulator != null ? emulator.clock() : new CalibratedClock(Instant.now(), config.clockSpeed());
        List<ScenarioLabel> labels = new ArrayList<>();
        try (TrafficContext ctx = new TrafficContext(world, endpoint, metrics, config.seed(), plaintextTap);
             LabelWriter writer = new LabelWriter(config.labels(), labelSink)) {
            Setup.run(ctx);
            if (clock instanceof CalibratedClock calibrated) {
                // A remote emulator's time is what it stamped on the keys setup just created.
                ctx.lastServerTime().ifPresent(calibrated::reset);
            }
            // The plan starts after a setup allowance fixed by the configuration, not by how long setup took,
            // so planned times (and labels) do not depend on the machine's speed: from the start of an in-process
            // emulator's clock, whether this generator started it or was handed it (as the app's commands do).
            // Only a remote emulator's plan starts from its time after setup, which no seed can fix.
            Instant origin = emulator != null ? emulator.clock().start()
                    : clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            Instant start = origin.plus(setupAllowance());
            Instant end = start.plus(config.duration());
            seedCiphertexts(ctx);

            PriorityQueue<Step> queue = new PriorityQueue<>(Comparator.comparing(Step::at).thenComparingLong(Step::seq));
            long seq = 0;
            for (ScenarioPlan plan : schedule(chosen, start, end)) {
                for (ScenarioPlan.Timed t : plan.steps()) {
                    queue.add(new Step(t.at(), seq++, t.step()));
                }
                queue.add(new Step(plan.end(), seq++, c -> {
                    ScenarioLabel label = label(plan, c);
                    writer.write(label);
                    labels.add(label);
                    metrics.scenario(label.type());
                }));
            }
            double perSecond = config.rate() / config.clockSpeed();
            Background background = config.shape() == TrafficShape.FLAT
                    ? Background.flat(world.profile(), config.seed(), perSecond, start, end, ctx::calls)
                    : new Background(world.profile(), config.seed(), perSecond, start, end);
            while (!stopped) {
                Instant bgAt = background.peek();
                Step next = queue.peek();
                if (bgAt == null && next == null) {
                    break;
                }
                if (next == null || (bgAt != null && bgAt.isBefore(next.at()))) {
                    waitUntil(clock, bgAt);
                    TrafficProfile.Application app = background.take();
                    guarded(() -> Workloads.run(ctx, app), "background " + app.name());
                } else {
                    queue.poll();
                    waitUntil(clock, next.at());
                    guarded(() -> next.action().accept(ctx), "scenario step");
                }
            }
            LOG.info("traffic run done: {} calls, {} AWS errors, {} without answer, {} labels", ctx.calls(), ctx.errors(),
                    ctx.failures(), labels.size());
            return new TrafficSummary(ctx.calls(), ctx.errors(), ctx.failures(), labels, ctx.byOperation(),
                    ctx.keyArns(), maxLag);
        }
    }

    private Duration setupAllowance() {
        // Room for setup's calls (a cold JVM needs a few real seconds for the first SDK clients): five minutes
        // of emulator time, or five real seconds on a fast clock.
        return Duration.ofSeconds(Math.max(300, (long) Math.ceil(config.clockSpeed() * 5)));
    }

    /** Each chosen scenario once, spread over the run; or one every {@code incidentEvery} in turn. */
    List<ScenarioPlan> schedule(List<Scenario> chosen, Instant start, Instant end) {
        List<ScenarioPlan> plans = new ArrayList<>();
        if (chosen.isEmpty()) {
            return plans;
        }
        // Incidents start after a warm-up of ordinary traffic (a quarter of the run, at most an hour), which
        // detectors with a learning period need.
        Duration warmUp = min(Duration.ofHours(1), Duration.between(start, end).dividedBy(4));
        start = start.plus(warmUp);
        Duration total = Duration.between(start, end);
        double perSecond = config.rate() / config.clockSpeed();
        Duration every = config.incidentEvery();
        if (every == null || every.multipliedBy(chosen.size()).compareTo(total) > 0) {
            // --scenarios all must inject everything at least once, however short the run.
            Duration slot = total.dividedBy(chosen.size());
            for (int i = 0; i < chosen.size(); i++) {
                Scenario s = chosen.get(i);
                Duration window = min(s.naturalLength(), slot.multipliedBy(9).dividedBy(10));
                plans.add(plan(s, i, start.plus(slot.multipliedBy(i)).plus(slot.dividedBy(20)), window, perSecond));
            }
            return plans;
        }
        for (int i = 0; ; i++) {
            Scenario s = chosen.get(i % chosen.size());
            Instant at = start.plus(every.multipliedBy(i)).plus(every.dividedBy(20));
            Duration window = min(s.naturalLength(), every.multipliedBy(9).dividedBy(10));
            if (at.plus(window).isAfter(end)) {
                return plans;
            }
            plans.add(plan(s, i, at, window, perSecond));
        }
    }

    private ScenarioPlan plan(Scenario s, int index, Instant at, Duration window, double perSecond) {
        ScenarioPlan plan = new ScenarioPlan(s, index, at, window, config.seed(), world,
                perSecond * config.shape().factor(at));
        s.plan(plan);
        return plan;
    }

    private ScenarioLabel label(ScenarioPlan plan, TrafficContext ctx) {
        String keyArn = plan.keyAlias() == null ? null : ctx.findKeyArn(plan.keyAlias()).orElse(null);
        String principal = plan.principal() == null ? null : world.principal(plan.principal()).arn();
        String account = plan.account() != null ? plan.account()
                : keyArn != null ? keyArn.split(":")[4]
                : plan.principal() != null ? world.principal(plan.principal()).accountId() : null;
        String id = String.format(Locale.ROOT, "s%d-%03d-%s", config.seed(), plan.index(), plan.scenario().type());
        return new ScenarioLabel(id, plan.scenario().type(), plan.scenario().expectedDetections(), keyArn, principal,
                account, plan.start(), plan.end());
    }

    /** One ciphertext per symmetric key made by its user, so that decrypting scenarios have data from the start. */
    private void seedCiphertexts(TrafficContext ctx) {
        for (TrafficWorld.KeyPlan key : world.keys()) {
            if (!key.keySpec().equals("SYMMETRIC_DEFAULT") || ctx.findKeyArn(key.alias()).isEmpty()
                    || ctx.anyCiphertext(key.alias()).isPresent()) {
                continue;
            }
            Map<String, String> context = Map.of("app", key.user());
            ctx.call(Setup.WORKLOAD, key.user(), "GenerateDataKey", kms -> kms.generateDataKey(r -> r
                            .keyId(ctx.keyArn(key.alias())).numberOfBytes(32).encryptionContext(context)))
                    .ifPresent(r -> ctx.remember(key.alias(), r.ciphertextBlob(), context));
        }
    }

    private List<Scenario> resolve(List<String> names) {
        Map<String, Scenario> byType = new LinkedHashMap<>();
        SCENARIOS.forEach(s -> byType.put(s.type(), s));
        List<Scenario> out = new ArrayList<>();
        for (String name : names) {
            if (name.equalsIgnoreCase("all")) {
                return SCENARIOS;
            }
            Scenario s = byType.get(name.trim());
            if (s == null) {
                throw new EmulatorException("unknown scenario '" + name + "'; known: all, " + String.join(", ", byType.keySet()));
            }
            out.add(s);
        }
        return out;
    }

    private void waitUntil(Clock clock, Instant at) {
        while (!stopped) {
            Duration ahead = Duration.between(clock.instant(), at);
            if (ahead.isZero() || ahead.isNegative()) {
                warnIfBehind(ahead.negated());
                return;
            }
            long realMillis = (long) Math.ceil(ahead.toNanos() / 1e6 / config.clockSpeed());
            try {
                Thread.sleep(Math.max(1, Math.min(realMillis, 500)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = true;
            }
        }
    }

    /** Real time the run may fall behind its plan before it says so. */
    private static final Duration LAG_WORTH_WARNING = Duration.ofSeconds(10);

    private long lastLagWarning;

    private Duration maxLag = Duration.ZERO;

    private void warnIfBehind(Duration behind) {
        if (behind.compareTo(maxLag) > 0) {
            maxLag = behind;
        }
        // Calls take real time; on a fast clock too many of them make the run fall behind its plan, and
        // records land later than the labels say. A few real seconds of delay (a cold JVM's first calls, a busy
        // machine) are caught up and worth no warning: on a clock of x60 one real second is already a minute.
        long threshold = Math.max(60, (long) (LAG_WORTH_WARNING.toSeconds() * config.clockSpeed()));
        if (behind.toSeconds() > threshold && System.nanoTime() - lastLagWarning > 60_000_000_000L) {
            lastLagWarning = System.nanoTime();
            LOG.warn("traffic is {} s of emulator time behind its plan; lower the rate or the clock speed",
                    behind.toSeconds());
        }
    }

    private static void guarded(Runnable step, String what) {
        try {
            step.run();
        } catch (RuntimeException e) {
            // A step that cannot run (a key whose CreateKey failed, say) is logged and skipped: the run goes on.
            LOG.warn("{} skipped: {}", what, e.getMessage());
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Stops a running {@link #run()} after its current call, and the in-process emulator it started. */
    @Override
    public void close() {
        stopped = true;
        if (ownEmulator != null) {
            ownEmulator.close();
        }
    }

    private record Step(Instant at, long seq, Consumer<TrafficContext> action) {
    }

    /** Emulator time of a remote emulator: real time scaled by the clock speed from a calibrated origin. */
    static final class CalibratedClock extends Clock {
        private final double speed;
        private volatile Instant origin;
        private volatile long originNanos;

        CalibratedClock(Instant origin, double speed) {
            this.speed = speed;
            reset(origin);
        }

        void reset(Instant now) {
            this.originNanos = System.nanoTime();
            this.origin = now;
        }

        @Override
        public Instant instant() {
            return origin.plusNanos((long) ((System.nanoTime() - originNanos) * speed));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
