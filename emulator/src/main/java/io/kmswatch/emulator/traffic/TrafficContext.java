package io.kmswatch.emulator.traffic;

import io.kmswatch.emulator.EmulatorException;
import io.kmswatch.emulator.KmsHttpServer;
import io.kmswatch.emulator.traffic.TrafficWorld.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What scenario and workload steps act through: one SDK KmsClient per simulated principal (and source address),
 * each signing with its own access key (and real time, as the emulator checks signatures against real time), the ARNs of the keys created so far, and
 * pools of ciphertexts to decrypt. Steps run one at a time on the generator thread, so the context is not
 * thread-safe and need not be; every random choice made while running draws from {@link #random()} in call
 * order, which keeps a seeded run reproducible.
 */
final class TrafficContext implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrafficContext.class);
    private static final int POOL_SIZE = 32;

    private final TrafficWorld world;
    private final URI endpoint;
    private final TrafficMetrics metrics;
    private final Random random;
    private final Map<String, KmsClient> clients = new HashMap<>();
    private final Map<String, String> keyArns = new LinkedHashMap<>();
    private final Map<String, List<Ciphertext>> pools = new HashMap<>();
    private final Map<String, Long> byOperation = new TreeMap<>();
    private long calls;
    private long errors;
    private long failures;

    private Instant lastServerTime;
    private final Consumer<byte[]> plaintextTap;

    /** @param plaintextTap receives every plaintext the clients handle (see {@link PlaintextTap}), or null */
    TrafficContext(TrafficWorld world, URI endpoint, TrafficMetrics metrics, long seed, Consumer<byte[]> plaintextTap) {
        this.world = world;
        this.endpoint = endpoint;
        this.metrics = metrics;
        this.random = new Random(seed * 0x9E3779B97F4A7C15L + 7);
        this.plaintextTap = plaintextTap;
    }

    /** Shows a plaintext made outside the SDK (raw key material before it is wrapped) to the tap, if any. */
    void tapPlaintext(byte[] plaintext) {
        if (plaintextTap != null) {
            plaintextTap.accept(plaintext);
        }
    }

    TrafficWorld world() {
        return world;
    }

    Random random() {
        return random;
    }

    /** The ARN of a key by alias name (without {@code alias/}); throws when it was never created. */
    String keyArn(String alias) {
        String arn = keyArns.get(alias);
        if (arn == null) {
            throw new EmulatorException("key alias/" + alias + " was not created (its CreateKey failed?)");
        }
        return arn;
    }

    Optional<String> findKeyArn(String alias) {
        return Optional.ofNullable(keyArns.get(alias));
    }

    void registerKey(String alias, String arn) {
        keyArns.put(alias, arn);
    }

    Map<String, String> keyArns() {
        return Map.copyOf(keyArns);
    }

    /** Keeps a ciphertext (and the context it was made under) to decrypt later. */
    void remember(String alias, SdkBytes blob, Map<String, String> encryptionContext) {
        List<Ciphertext> pool = pools.computeIfAbsent(alias, a -> new ArrayList<>());
        if (pool.size() >= POOL_SIZE) {
            pool.remove(0);
        }
        pool.add(new Ciphertext(blob, Map.copyOf(encryptionContext)));
    }

    /** A stored ciphertext of a key, chosen at random, or empty when none was made yet. */
    Optional<Ciphertext> anyCiphertext(String alias) {
        List<Ciphertext> pool = pools.get(alias);
        if (pool == null || pool.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(pool.get(random.nextInt(pool.size())));
    }

    /** Calls KMS as a principal from its usual address. */
    <T> Optional<T> call(String workload, String principal, String operation, Function<KmsClient, T> request) {
        return call(workload, principal, null, operation, request);
    }

    /**
     * Calls KMS as a principal; an AWS error is counted and swallowed (errors are part of the traffic), a
     * connection failure is counted and logged. Never throws for either.
     *
     * @param sourceIp the address to call from instead of the principal's own, or null
     */
    <T> Optional<T> call(String workload, String principal, String sourceIp, String operation,
                         Function<KmsClient, T> request) {
        KmsClient client = client(world.principal(principal), sourceIp);
        calls++;
        byOperation.merge(operation, 1L, Long::sum);
        try {
            T result = request.apply(client);
            metrics.call(workload, "success");
            return Optional.ofNullable(result);
        } catch (KmsException e) {
            errors++;
            String code = e.awsErrorDetails() == null ? "unknown" : e.awsErrorDetails().errorCode();
            metrics.call(workload, code == null ? "unknown" : code);
            LOG.debug("{} {} as {}: {}", workload, operation, principal, code);
            return Optional.empty();
        } catch (SdkClientException e) {
            failures++;
            metrics.call(workload, "connection_error");
            LOG.warn("{} {} as {} got no answer from {}: {}", workload, operation, principal, endpoint, e.getMessage());
            return Optional.empty();
        }
    }

    /** Notes a time the emulator reported (a key's CreationDate): a remote emulator's clock is learnt from it. */
    void observeServerTime(Instant t) {
        if (t != null && (lastServerTime == null || t.isAfter(lastServerTime))) {
            lastServerTime = t;
        }
    }

    Optional<Instant> lastServerTime() {
        return Optional.ofNullable(lastServerTime);
    }

    private KmsClient client(Principal p, String sourceIp) {
        String ip = sourceIp != null ? sourceIp : p.sourceIp();
        return clients.computeIfAbsent(p.name() + "@" + ip, k -> newClient(p, ip));
    }

    private KmsClient newClient(Principal p, String ip) {
        Apache5HttpClient.Builder http = Apache5HttpClient.builder().maxConnections(4)
                .connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(30))
                // The emulator closes connections idle for 30 s; a client that kept one longer would send its
                // next call into a closed socket, and with one attempt per call that call would be lost.
                .connectionMaxIdleTime(Duration.ofSeconds(10)).useIdleConnectionReaper(true);
        if (endpoint.getHost() != null && isLoopback(endpoint.getHost()) && p.viaService() == null) {
            // Every simulated host gets its own loopback source address, so the trail shows distinct IPs.
            http.localAddress(address(ip));
        }
        return KmsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(world.profile().region()))
                .credentialsProvider(StaticCredentialsProvider.create(p.kind() == TrafficWorld.Kind.ROLE_SESSION
                        ? AwsSessionCredentials.create(p.accessKeyId(), p.secretAccessKey(), "kmswatch-traffic-" + p.name())
                        : AwsBasicCredentials.create(p.accessKeyId(), p.secretAccessKey())))
                .httpClient(http.build())
                .overrideConfiguration(c -> {
                    // One attempt per call: a retry would add records the seed did not plan.
                    c.retryStrategy(b -> b.maxAttempts(1));
                    c.putAdvancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX, "app/" + p.name());
                    if (p.viaService() != null) {
                        c.putHeader(KmsHttpServer.VIA_SERVICE_HEADER, p.viaService());
                    }
                    if (plaintextTap != null) {
                        c.addExecutionInterceptor(new PlaintextTap(plaintextTap));
                    }
                })
                .build();
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new EmulatorException("not an address: " + ip, e);
        }
    }

    long calls() {
        return calls;
    }

    long errors() {
        return errors;
    }

    long failures() {
        return failures;
    }

    Map<String, Long> byOperation() {
        return Map.copyOf(byOperation);
    }

    @Override
    public void close() {
        clients.values().forEach(KmsClient::close);
        clients.clear();
    }

    /** A ciphertext and the encryption context it must be decrypted under. */
    record Ciphertext(SdkBytes blob, Map<String, String> encryptionContext) {
    }
}
