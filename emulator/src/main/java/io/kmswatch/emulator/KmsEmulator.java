package io.kmswatch.emulator;

import io.kmswatch.emulator.api.Authorizer;
import io.kmswatch.emulator.api.OperationHandler;
import io.kmswatch.emulator.api.Services;
import io.kmswatch.emulator.crypto.CryptoCore;
import io.kmswatch.emulator.handler.Handlers;
import io.kmswatch.emulator.policy.KeyPolicies;
import io.kmswatch.emulator.policy.PolicyEvaluator;
import io.kmswatch.emulator.sigv4.SigV4Verifier;
import io.kmswatch.emulator.state.Alias;
import io.kmswatch.emulator.state.InMemoryKeyStore;
import io.kmswatch.emulator.state.KeyIds;
import io.kmswatch.emulator.state.JournaledKeyStore;
import io.kmswatch.emulator.state.KeyState;
import io.kmswatch.emulator.state.KeyStore;
import io.kmswatch.emulator.state.KmsKey;
import io.kmswatch.emulator.trail.AuditLogWriter;
import io.kmswatch.emulator.trail.CloudTrailEmitter;
import io.kmswatch.emulator.trail.S3TrailWriter;
import io.kmswatch.emulator.trail.TrailStore;
import io.kmswatch.events.CloudTrailListener;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A running KMS + CloudTrail emulator. Start one with {@link #start(EmulatorConfig)}; point the AWS CLI, boto3
 * or an SDK at {@link #endpoint()} with the configured credentials; subscribe to its CloudTrail records with
 * {@link #addListener}; {@link #close()} stops the server, writes pending trail files and closes the store.
 */
public final class KmsEmulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KmsEmulator.class);

    private final EmulatorConfig config;
    private final EmulatorClock clock;
    private final KeyStore store;
    private final CloudTrailEmitter emitter;
    private final EmulatorMetrics metrics;
    private final KmsHttpServer server;
    private final ScheduledExecutorService scheduler;
    private final KeyLifecycle lifecycle;
    private final Services services;

    private KmsEmulator(EmulatorConfig config) throws IOException {
        this.config = config;
        this.clock = new EmulatorClock(config.clockStart() != null ? config.clockStart() : Instant.now(),
                config.clockSpeed());
        Identities identities = new Identities(config, clock.instant());
        this.store = config.dataDir() != null ? JournaledKeyStore.open(config.dataDir()) : new InMemoryKeyStore();
        TrailStore trailStore = new TrailStore(config.lookupMaxEvents(), clock);
        S3TrailWriter s3 = config.trailDir() == null ? null
                : new S3TrailWriter(config.trailDir(), Duration.ofMinutes(config.trailRollMinutes()), clock);
        AuditLogWriter audit = config.auditLog() == null ? null : new AuditLogWriter(config.auditLog());
        this.emitter = new CloudTrailEmitter(clock, trailStore, s3, audit);
        Services services = new Services(store, new CryptoCore(), new Authorizer(new PolicyEvaluator(), store), clock,
                identities, config.partition(), emitter, new ConcurrentHashMap<>(), KeyIds.seeded(config.keyIdSeed()));
        this.services = services;
        Map<String, OperationHandler<?, ?>> handlers = Handlers.all();
        Set<String> ops = new HashSet<>(handlers.keySet());
        ops.add("LookupEvents");
        this.metrics = new EmulatorMetrics(ops, store);
        // every record the emitter publishes, the service's own events included, so that the count is the number
        // of records a subscriber (the feed to kms-events) receives
        emitter.addListener(event -> metrics.trailRecord());
        // Clients sign with their real clock, so the skew check must use real time even when the emulator
        // clock runs fast or starts in the past.
        SigV4Verifier verifier = new SigV4Verifier(identities, java.time.Clock.systemUTC(),
                Duration.ofSeconds(config.maxClockSkewSeconds()));
        this.server = new KmsHttpServer(config, RequestPipeline.create(config, services, handlers, verifier, metrics));
        this.lifecycle = new KeyLifecycle(services);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kms-emulator-lifecycle");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(lifecycle, 200, 200, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts an emulator.
     *
     * @throws EmulatorException when the port cannot be bound or the data directory cannot be used
     */
    public static KmsEmulator start(EmulatorConfig config) {
        warnIfExposed(config.bind());
        try {
            KmsEmulator e = new KmsEmulator(config);
            LOG.info("KMS emulator listening on {} (clock {}, data {})", e.endpoint(), e.clock,
                    config.dataDir() == null ? "in memory" : config.dataDir());
            return e;
        } catch (IOException e) {
            throw new EmulatorException("cannot start the KMS emulator on " + config.bind() + ":" + config.port()
                    + ": " + e.getMessage(), e);
        }
    }

    private static void warnIfExposed(String bind) {
        try {
            if (!InetAddress.getByName(bind).isLoopbackAddress()) {
                LOG.warn("The KMS emulator is bound to {}, which is not a loopback address: anyone who can reach it "
                        + "and knows the emulator's credentials can use its keys. Bind 127.0.0.1 unless you mean it.",
                        bind);
            }
        } catch (UnknownHostException e) {
            throw new EmulatorException("cannot resolve bind address " + bind, e);
        }
    }

    /**
     * Creates the AWS managed key of a service in one account and Region, as AWS does when the service
     * first encrypts with its default key: {@code KeyManager} {@code AWS}, alias {@code alias/aws/<service>},
     * the AWS managed key policy, rotation every 365 days. Returns the existing key when there is one.
     * Not an API call: no CloudTrail record (AWS writes the service's calls, not the key's creation by it).
     *
     * @param service the service's endpoint prefix, e.g. {@code s3}, {@code ebs}, {@code secretsmanager}
     * @return the key ARN
     */
    public synchronized String createAwsManagedKey(String accountId, String region, String service) {
        String aliasName = "alias/aws/" + service;
        var existing = store.alias(accountId, region, aliasName);
        if (existing.isPresent()) {
            return KmsKey.arn(config.partition(), region, accountId, existing.get().targetKeyId());
        }
        // Not from the seeded id sequence: the keys a seeded traffic run creates keep their ids.
        String keyId = KeyIds.random().next(false,
                id -> store.key(KmsKey.arn(config.partition(), region, accountId, id)).isPresent());
        Instant now = clock.instant();
        KmsKey key = new KmsKey.Builder().keyId(keyId).accountId(accountId).region(region).partition(config.partition())
                .creationDate(now).description("Default key that protects my " + service + " data when no other key is defined")
                .keyUsage("ENCRYPT_DECRYPT").keySpec("SYMMETRIC_DEFAULT").origin("AWS_KMS").keyState(KeyState.ENABLED)
                .policy(KeyPolicies.awsManagedKeyPolicy(config.partition(), accountId, region, service))
                .materials(List.of(services.crypto().newMaterial("SYMMETRIC_DEFAULT", 1, null, now)))
                .rotationEnabled(true).rotationPeriodInDays(365).nextRotationDate(now.plus(Duration.ofDays(365)))
                .keyManager("AWS").build();
        store.putKey(key);
        store.putAlias(new Alias(aliasName, accountId, region, config.partition(), keyId, now, now));
        return key.arn();
    }

    /** {@code http://<host>:<port>}, with the actually bound port (useful with port 0). */
    public URI endpoint() {
        String host = config.bind().contains(":") ? "[" + config.bind() + "]" : config.bind();
        if ("0.0.0.0".equals(config.bind())) {
            host = "127.0.0.1";
        }
        return URI.create("http://" + host + ":" + port());
    }

    public int port() {
        return server.address().getPort();
    }

    /**
     * The address the server socket is bound to: {@code 127.0.0.1} unless the configuration's {@code bind} says
     * otherwise (which is warned about when it is not a loopback address).
     */
    public InetSocketAddress boundAddress() {
        return server.address();
    }

    /** The key store, for tests in this package that must see key material to prove it never leaks. */
    KeyStore store() {
        return store;
    }

    /** Subscribes to every CloudTrail record from now on (thread-safe; must not block). */
    public void addListener(CloudTrailListener listener) {
        emitter.addListener(listener);
    }

    public void removeListener(CloudTrailListener listener) {
        emitter.removeListener(listener);
    }

    /**
     * Subscribes to every S3-layout trail file written from now on.
     *
     * @throws EmulatorException when trail files are off (no {@code trailDir})
     */
    public void addTrailFileListener(io.kmswatch.emulator.trail.S3TrailWriter.FileListener listener) {
        if (emitter.trailWriter() == null) {
            throw new EmulatorException("trail files are off: set trailDir (--trail-dir) to deliver trail files");
        }
        emitter.trailWriter().addFileListener(listener);
    }

    /** The emulator clock (event times, rotation and deletion dates follow it). */
    public EmulatorClock clock() {
        return clock;
    }

    /** Meters: {@code kmswatch.emulator.requests{operation,outcome}}, request duration, trail records, keys. */
    public MeterBinder metrics() {
        return metrics;
    }

    /** The records LookupEvents serves (for tools and tests). */
    public TrailStore trail() {
        return emitter.store();
    }

    public EmulatorConfig config() {
        return config;
    }

    /** Runs the lifecycle (deletions, rotations, trail roll) now instead of waiting for the next tick. */
    public void runLifecycleNow() {
        lifecycle.run();
    }

    @Override
    public void close() {
        server.close();
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        emitter.close();
        store.close();
        LOG.info("KMS emulator on port {} stopped", port());
    }
}
