package io.kmswatch.emulator;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills the emulator process with SIGKILL in the middle of a burst of CreateKey/Encrypt calls, restarts it on the
 * same data directory, and checks that every acknowledged key exists and every acknowledged ciphertext decrypts.
 * Twice, so the second restart also replays a journal that was compacted and then torn.
 */
@Tag("system")
class DurabilityIT {
    private static final int ACKS_BEFORE_KILL = 120;

    @TempDir
    Path dataDir;

    /** One acknowledged write. */
    private record Acked(String keyId, SdkBytes blob, SdkBytes plaintext) {
    }

    @Test
    void shouldKeepEveryAcknowledgedKeyAndCiphertextAcrossKillNine() throws Exception {
        Map<String, Acked> acked = new ConcurrentHashMap<>();
        for (int round = 0; round < 2; round++) {
            Child child = Child.start(dataDir);
            try (KmsClient kms = client(child.endpoint)) {
                verifyAll(kms, acked);
                burstThenKill(kms, child, acked, round);
            } finally {
                child.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
        Child last = Child.start(dataDir);
        try (KmsClient kms = client(last.endpoint)) {
            verifyAll(kms, acked);
            assertThat(acked).hasSizeGreaterThanOrEqualTo(2 * ACKS_BEFORE_KILL);
        } finally {
            last.process.destroy();
            last.process.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(Files.exists(dataDir.resolve("journal.log"))).isTrue();
    }

    private static void verifyAll(KmsClient kms, Map<String, Acked> acked) {
        for (Acked a : acked.values()) {
            assertThat(kms.describeKey(b -> b.keyId(a.keyId)).keyMetadata().keyStateAsString()).isEqualTo("Enabled");
            assertThat(kms.decrypt(b -> b.ciphertextBlob(a.blob).encryptionContext(Map.of("k", a.keyId))).plaintext())
                    .isEqualTo(a.plaintext);
        }
    }

    private static void burstThenKill(KmsClient kms, Child child, Map<String, Acked> acked, int round)
            throws InterruptedException {
        AtomicInteger count = new AtomicInteger();
        CountDownLatch enough = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int worker = t;
            Thread th = new Thread(() -> {
                for (int i = 0; ; i++) {
                    try {
                        String keyId = kms.createKey(b -> b.description("durable")).keyMetadata().keyId();
                        SdkBytes pt = SdkBytes.fromString("r" + round + " w" + worker + " i" + i, StandardCharsets.UTF_8);
                        SdkBytes blob = kms.encrypt(b -> b.keyId(keyId).plaintext(pt)
                                .encryptionContext(Map.of("k", keyId))).ciphertextBlob();
                        if (keyId == null || blob == null) {
                            // The SDK turns a 200 whose body was cut off by the kill into an empty response:
                            // that is not an acknowledgement, and the process is gone anyway.
                            return;
                        }
                        acked.put(keyId, new Acked(keyId, blob, pt));
                        if (count.incrementAndGet() >= ACKS_BEFORE_KILL) {
                            enough.countDown();
                        }
                    } catch (RuntimeException e) {
                        return; // the process was killed under us: this call was never acknowledged
                    }
                }
            }, "burst-" + t);
            th.start();
            workers.add(th);
        }
        assertThat(enough.await(5, TimeUnit.MINUTES)).isTrue();
        child.process.destroyForcibly();
        child.process.waitFor(30, TimeUnit.SECONDS);
        for (Thread th : workers) {
            th.join(TimeUnit.MINUTES.toMillis(2));
        }
    }

    private static KmsClient client(URI endpoint) {
        return KmsClient.builder().endpointOverride(endpoint)
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                                EmulatorFixture.ADMIN_KEY, EmulatorFixture.ADMIN_SECRET)))
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(
                        software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** The emulator as a separate JVM ({@link EmulatorMain}) on an ephemeral port. */
    private record Child(Process process, URI endpoint) {
        static Child start(Path dataDir) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp",
                    System.getProperty("java.class.path"), EmulatorMain.class.getName(), "--port", "0",
                    "--data-dir", dataDir.toString()).redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            URI endpoint = null;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("KMS emulator listening on ")) {
                    endpoint = URI.create(line.substring("KMS emulator listening on ".length()).trim());
                    break;
                }
            }
            assertThat(endpoint).as("child emulator did not start").isNotNull();
            Thread drain = new Thread(() -> {
                try {
                    while (out.readLine() != null) {
                        // keep the pipe empty so the child never blocks on logging
                    }
                } catch (java.io.IOException ignored) {
                    // the child died
                }
            }, "child-drain");
            drain.setDaemon(true);
            drain.start();
            return new Child(p, endpoint);
        }
    }
}
