package io.kmswatch.bench;

import io.kmswatch.emulator.EmulatorConfig;
import io.kmswatch.emulator.KmsEmulator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;

/**
 * GenerateDataKey and Decrypt requests/s of the emulator against {@code moto_server} on the same calls,
 * one keep-alive SDK client per server shared by a given number of callers, interleaved time-boxed runs.
 */
public final class KmsApiBenchmark {
    /** Medians per server and call; ratios are emulator ÷ moto. */
    public record Result(Measurement emulatorGenerate, Measurement motoGenerate, Measurement emulatorDecrypt,
                         Measurement motoDecrypt, Duration warmUp) {
        public double generateRatio() {
            return emulatorGenerate.ratioTo(motoGenerate);
        }

        public double decryptRatio() {
            return emulatorDecrypt.ratioTo(motoDecrypt);
        }

        /** Geometric mean of the two call ratios: one number for both calls. */
        public double ratio() {
            return Math.sqrt(generateRatio() * decryptRatio());
        }
    }

    private KmsApiBenchmark() {
    }

    /**
     * @param threads callers sharing each client (1: sequential calls, per-call latency bound; more: the server's
     *                capacity, which is what a load generator sees)
     */
    /**
     * @param maxWarmUp the longest the emulator is called before the measured runs while the JIT compiler is
     *                  still busy (see {@link WarmUp})
     */
    public static Result run(int runs, Duration perRun, int threads, Duration maxWarmUp, Path logDir) {
        Process moto = null;
        try (KmsEmulator emulator = KmsEmulator.start(EmulatorConfig.defaults().withPort(0))) {
            int port = freePort();
            moto = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", String.valueOf(port))
                    .redirectErrorStream(true).redirectOutput(logDir.resolve("moto_server.log").toFile()).start();
            awaitPort(port, Duration.ofSeconds(60));
            try (KmsClient ours = client(emulator.endpoint(), EmulatorConfig.DEFAULT_ACCESS_KEY_ID,
                    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
                 KmsClient theirs = client(URI.create("http://127.0.0.1:" + port), "testing", "testing")) {
                Calls a = new Calls(ours);
                Calls b = new Calls(theirs);
                // both calls, in one-second rounds, until the JIT compiler is quiet (the SDK client and the server are large)
                Duration warm = WarmUp.untilJitQuiet(() -> {
                    a.generate(Duration.ofMillis(500), threads);
                    a.decrypt(Duration.ofMillis(500), threads);
                }, 2, maxWarmUp);
                b.generate(Duration.ofSeconds(1), threads);
                b.decrypt(Duration.ofSeconds(1), threads);
                double[] ag = new double[runs];
                double[] bg = new double[runs];
                double[] ad = new double[runs];
                double[] bd = new double[runs];
                for (int i = 0; i < runs; i++) {
                    ag[i] = a.generate(perRun, threads);
                    bg[i] = b.generate(perRun, threads);
                    ad[i] = a.decrypt(perRun, threads);
                    bd[i] = b.decrypt(perRun, threads);
                }
                return new Result(Measurement.of("emulator GenerateDataKey", ag), Measurement.of("moto GenerateDataKey", bg),
                        Measurement.of("emulator Decrypt", ad), Measurement.of("moto Decrypt", bd), warm);
            }
        } catch (IOException e) {
            throw new BenchException("cannot start moto_server (is it on PATH?): " + e.getMessage(), e);
        } finally {
            if (moto != null) {
                moto.destroy();
            }
        }
    }

    /** One key, one ciphertext to decrypt, on one server. */
    private static final class Calls {
        private final KmsClient kms;
        private final String keyId;
        private final SdkBytes blob;

        Calls(KmsClient kms) {
            this.kms = kms;
            this.keyId = kms.createKey(b -> b.description("kmswatch bench")).keyMetadata().keyId();
            this.blob = kms.generateDataKey(b -> b.keyId(keyId).keySpec(DataKeySpec.AES_256)).ciphertextBlob();
        }

        double generate(Duration d, int threads) {
            return timed(d, threads, () -> kms.generateDataKey(b -> b.keyId(keyId).keySpec(DataKeySpec.AES_256)));
        }

        double decrypt(Duration d, int threads) {
            return timed(d, threads, () -> kms.decrypt(b -> b.ciphertextBlob(blob)));
        }

        /** Calls/s of {@code threads} callers sharing the client, each calling back to back until the time is up. */
        private static double timed(Duration d, int threads, Runnable call) {
            java.util.concurrent.atomic.LongAdder n = new java.util.concurrent.atomic.LongAdder();
            long start = System.nanoTime();
            long end = start + d.toNanos();
            List<Thread> callers = new ArrayList<>();
            List<RuntimeException> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < threads; i++) {
                Thread t = new Thread(() -> {
                    try {
                        do {
                            call.run();
                            n.increment();
                        } while (System.nanoTime() < end);
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }, "bench-kms-caller-" + i);
                callers.add(t);
                t.start();
            }
            try {
                for (Thread t : callers) {
                    t.join();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchException("interrupted", e);
            }
            if (!failures.isEmpty()) {
                throw new BenchException("KMS call failed: " + failures.get(0).getMessage(), failures.get(0));
            }
            return n.sum() * 1e9 / (System.nanoTime() - start);
        }
    }

    private static KmsClient client(URI endpoint, String accessKey, String secretKey) {
        return KmsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .httpClient(Apache5HttpClient.builder().maxConnections(16).build())
                .build();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitPort(int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new BenchException("interrupted", ie);
                }
            }
        }
        throw new BenchException("moto_server did not listen on " + port + " within " + timeout);
    }
}
