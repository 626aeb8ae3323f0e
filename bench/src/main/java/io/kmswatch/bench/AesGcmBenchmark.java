package io.kmswatch.bench;

import io.kmswatch.emulator.crypto.AesGcmAead;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AES-256-GCM bytes/s of the emulator's crypto core ({@link AesGcmAead}: random IV, encrypt, tag) on 8 KiB
 * buffers, one thread, against {@code openssl speed -evp aes-256-gcm -bytes 8192} (also one process),
 * interleaved runs.
 */
public final class AesGcmBenchmark {
    /** Rates in MB/s (10^6 bytes). */
    public record Result(Measurement ours, Measurement openssl) {
        public double ratio() {
            return ours.ratioTo(openssl);
        }
    }

    private static final Pattern LINE = Pattern.compile("(?im)^aes-256-gcm\\s+.*?([0-9.]+)k\\s*$");

    private AesGcmBenchmark() {
    }

    public static Result run(int runs, int seconds) {
        byte[] key = new byte[32];
        byte[] buffer = new byte[8192];
        SecureRandom r = new SecureRandom();
        r.nextBytes(key);
        r.nextBytes(buffer);
        AesGcmAead aead = new AesGcmAead(key);
        ours(aead, buffer, 3); // warm-up: the JIT compiles the GCM path over the first seconds
        double[] o = new double[runs];
        double[] s = new double[runs];
        for (int i = 0; i < runs; i++) {
            o[i] = ours(aead, buffer, seconds);
            s[i] = openssl(seconds);
        }
        return new Result(Measurement.of("crypto core", o), Measurement.of("openssl", s));
    }

    private static double ours(AesGcmAead aead, byte[] buffer, int seconds) {
        long n = 0;
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        long now;
        do {
            aead.encrypt(buffer, null);
            n++;
            now = System.nanoTime();
        } while (now < end);
        return n * (double) buffer.length / ((now - start) / 1e9) / 1e6;
    }

    /** MB/s from openssl's summary line (it reports thousands of bytes per second). */
    static double openssl(int seconds) {
        try {
            Process p = new ProcessBuilder("openssl", "speed", "-evp", "aes-256-gcm", "-bytes", "8192",
                    "-seconds", String.valueOf(seconds)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            Matcher m = LINE.matcher(out);
            if (!m.find()) {
                throw new BenchException("unexpected openssl speed output: " + out);
            }
            return Double.parseDouble(m.group(1)) * 1000 / 1e6;
        } catch (IOException e) {
            throw new BenchException("cannot run openssl: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
    }
}
