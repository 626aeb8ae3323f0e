package io.kmswatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmswatch.events.CloudTrailCodec;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Json;
import io.kmswatch.events.Rejected;
import io.kmswatch.ingest.files.LogFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Codec parse rate (records/s, typed fields and key ARN derived) against plain Jackson
 * {@code ObjectMapper.readTree} of the same bytes, single-threaded, interleaved runs, medians.
 */
public final class CodecBenchmark {
    /** Result of one benchmark. */
    public record Result(Measurement codec, Measurement readTree, long recordsPerPass, long bytesPerPass) {
        public double ratio() {
            return codec.ratioTo(readTree);
        }
    }

    private final List<byte[]> files;

    /** Benchmarks the given files (read into memory once). */
    public CodecBenchmark(List<Path> inputs) {
        List<byte[]> loaded = new ArrayList<>();
        for (Path p : inputs) {
            for (Path f : Files.isDirectory(p) ? LogFiles.listFiles(p) : List.of(p)) {
                try {
                    loaded.add(Files.readAllBytes(f));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        this.files = loaded;
    }

    /** Benchmarks in-memory file contents. */
    public static CodecBenchmark ofBytes(List<byte[]> contents) {
        CodecBenchmark b = new CodecBenchmark(List.of());
        b.files.addAll(contents);
        return b;
    }

    /**
     * Synthetic S3 log files of realistic KMS records (Decrypt/GenerateDataKey/Encrypt by assumed
     * roles, with resources and encryption context), for machines without the public datasets.
     */
    public static CodecBenchmark synthetic(int fileCount, int recordsPerFile) {
        List<byte[]> contents = new ArrayList<>();
        String[] ops = {"Decrypt", "GenerateDataKey", "Encrypt", "Decrypt"};
        long n = 0;
        for (int f = 0; f < fileCount; f++) {
            StringBuilder sb = new StringBuilder("{\"Records\":[");
            for (int r = 0; r < recordsPerFile; r++, n++) {
                String key = "arn:aws:kms:us-east-1:111122223333:key/" + String.format("%08x-0000-4000-8000-%012x", n % 50, n % 50);
                sb.append(r == 0 ? "" : ",").append("{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"AssumedRole\","
                        + "\"principalId\":\"AROAEXAMPLE:s" + (n % 7) + "\",\"arn\":\"arn:aws:sts::111122223333:assumed-role/app"
                        + (n % 13) + "/s" + (n % 7) + "\",\"accountId\":\"111122223333\",\"accessKeyId\":\"ASIAEXAMPLE\","
                        + "\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"principalId\":\"AROAEXAMPLE\","
                        + "\"arn\":\"arn:aws:iam::111122223333:role/app" + (n % 13) + "\",\"accountId\":\"111122223333\","
                        + "\"userName\":\"app" + (n % 13) + "\"},\"attributes\":{\"creationDate\":\"2024-03-01T11:00:00Z\","
                        + "\"mfaAuthenticated\":\"false\"}}},\"eventTime\":\"2024-03-01T12:" + String.format("%02d:%02d", (n / 60) % 60, n % 60)
                        + "Z\",\"eventSource\":\"kms.amazonaws.com\",\"eventName\":\"" + ops[(int) (n % ops.length)]
                        + "\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"192.0.2." + (n % 200) + "\","
                        + "\"userAgent\":\"aws-sdk-java/2.25.0 Linux/6.1 OpenJDK_64-Bit_Server_VM/17.0.9\",\"requestParameters\":"
                        + "{\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\",\"encryptionContext\":{\"aws:s3:arn\":"
                        + "\"arn:aws:s3:::bucket/object-" + n + "\"}},\"responseElements\":null,\"requestID\":\""
                        + String.format("%08x-1111-4000-8000-%012x", n, n) + "\",\"eventID\":\""
                        + String.format("%08x-2222-4000-8000-%012x", n, n) + "\",\"readOnly\":true,\"resources\":[{"
                        + "\"accountId\":\"111122223333\",\"type\":\"AWS::KMS::Key\",\"ARN\":\"" + key + "\"}],"
                        + "\"eventType\":\"AwsApiCall\",\"managementEvent\":true,\"recipientAccountId\":\"111122223333\","
                        + "\"eventCategory\":\"Management\",\"tlsDetails\":{\"tlsVersion\":\"TLSv1.3\","
                        + "\"cipherSuite\":\"TLS_AES_128_GCM_SHA256\",\"clientProvidedHostHeader\":\"kms.us-east-1.amazonaws.com\"}}");
            }
            contents.add(sb.append("]}").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return ofBytes(contents);
    }

    /** Runs {@code warmups} unmeasured and {@code runs} measured passes of each, interleaved. */
    public Result run(int warmups, int runs, long minNanosPerRun) {
        return run(warmups, runs, minNanosPerRun, 0);
    }

    /**
     * Runs unmeasured passes of each, interleaved, until there were {@code warmups} of them and
     * {@code minWarmupNanos} have passed (a small input is read in milliseconds, before the JIT has compiled
     * the codec's paths: a count of passes alone measured the interpreter), then {@code runs} measured ones.
     */
    public Result run(int warmups, int runs, long minNanosPerRun, long minWarmupNanos) {
        long bytes = files.stream().mapToLong(b -> b.length).sum();
        long records = codecPass();
        long warmStart = System.nanoTime();
        for (int i = 0; i < warmups || System.nanoTime() - warmStart < minWarmupNanos; i++) {
            codecPass();
            treePass();
        }
        double[] codec = new double[runs];
        double[] tree = new double[runs];
        for (int i = 0; i < runs; i++) {
            codec[i] = rate(this::codecPass, minNanosPerRun);
            tree[i] = rate(this::treePass, minNanosPerRun);
        }
        return new Result(Measurement.of("codec", codec), Measurement.of("readTree", tree), records, bytes);
    }

    private static double rate(java.util.function.LongSupplier pass, long minNanos) {
        long n = 0;
        long start = System.nanoTime();
        long elapsed;
        do {
            n += pass.getAsLong();
            elapsed = System.nanoTime() - start;
        } while (elapsed < minNanos);
        return n * 1e9 / elapsed;
    }

    private long codecPass() {
        CloudTrailCodec codec = new CloudTrailCodec();
        long[] n = {0};
        CloudTrailCodec.Sink sink = new CloudTrailCodec.Sink() {
            @Override
            public void record(CloudTrailEvent e, String location) {
                // touch what every consumer needs so nothing is left lazily unparsed by accident
                if (e.eventTime() != null && e.keyArn() != e.eventName()) {
                    n[0]++;
                }
            }

            @Override
            public void rejected(Rejected r) {
                // a benchmark input never rejects; counted out by the record tally
            }
        };
        for (byte[] f : files) {
            codec.read(new ByteArrayInputStream(f), "bench", sink);
        }
        return n[0];
    }

    private long treePass() {
        long n = 0;
        try {
            for (byte[] f : files) {
                JsonNode root = Json.MAPPER.readTree(f);
                JsonNode records = root.isArray() ? root : root.path("Records");
                n += records.size();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }
}
