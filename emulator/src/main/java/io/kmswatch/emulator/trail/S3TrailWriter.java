package io.kmswatch.emulator.trail;

import io.kmswatch.emulator.EmulatorException;
import io.kmswatch.events.CloudTrailEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes records the way a trail delivers them to S3: one gzip file {@code {"Records":[…]}} per account and
 * region per roll period, at
 * {@code <dir>/AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/<acct>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 chars>.json.gz}.
 * The date in the path is the delivery (roll) time on the emulator clock. Files are written under a temporary
 * name and renamed, so a reader never sees half a file. Pending records are written on {@link #close()}.
 */
public final class S3TrailWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(S3TrailWriter.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A batch this large is written at once instead of waiting for the roll time. */
    static final int MAX_RECORDS_PER_FILE = 10_000;

    private final Path dir;
    private final Duration roll;
    private final Map<String, List<byte[]>> pending = new LinkedHashMap<>();
    private Instant nextRoll;

    private final java.time.Clock clock;
    private final List<FileListener> fileListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Told of every trail file once it is complete under its final name. */
    @FunctionalInterface
    public interface FileListener {
        /**
         * @param key  the file's path below the trail directory with '/' separators
         *             ({@code AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/<name>.json.gz}), the object key a
         *             trail would give it
         * @param file the file
         */
        void onFile(String key, Path file);
    }

    /** Subscribes to the files written from now on (listeners must not block for long). */
    public void addFileListener(FileListener listener) {
        fileListeners.add(listener);
    }

    public S3TrailWriter(Path dir, Duration roll, java.time.Clock clock) {
        this.dir = dir;
        this.roll = roll;
        this.clock = clock;
        this.nextRoll = clock.instant().plus(roll);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new EmulatorException("cannot create trail directory " + dir + ": " + e.getMessage(), e);
        }
    }

    public synchronized void add(CloudTrailEvent event) {
        String k = event.recipientAccountId() + "|" + event.awsRegion();
        List<byte[]> batch = pending.computeIfAbsent(k, x -> new ArrayList<>());
        batch.add(event.unsafeRawBytes()); // the event never changes its bytes: no copy
        if (batch.size() >= MAX_RECORDS_PER_FILE) {
            // Bounded memory under heavy traffic at real-time speed; CloudTrail also splits busy periods
            // into several files.
            String[] ar = k.split("\\|", 2);
            try {
                write(ar[0], ar[1], batch, clock.instant());
                batch.clear();
            } catch (IOException e) {
                LOG.warn("cannot write trail file for {}: {}", k, e.toString());
                if (batch.size() > 10 * MAX_RECORDS_PER_FILE) {
                    batch.subList(0, MAX_RECORDS_PER_FILE).clear();
                    LOG.warn("dropped {} trail records for {} that could not be written", MAX_RECORDS_PER_FILE, k);
                }
            }
        }
    }

    /** Writes the pending files when the roll time has passed on the emulator clock. */
    public synchronized void rollIfDue(Instant now) {
        if (now.isBefore(nextRoll)) {
            return;
        }
        flush(now);
        while (!nextRoll.isAfter(now)) {
            nextRoll = nextRoll.plus(roll);
        }
    }

    /** Writes every pending batch now; returns the files written. */
    public synchronized List<Path> flush(Instant now) {
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, List<byte[]>> e : pending.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            String[] ar = e.getKey().split("\\|", 2);
            try {
                written.add(write(ar[0], ar[1], e.getValue(), now));
            } catch (IOException ex) {
                LOG.warn("cannot write trail file for {}: {}", e.getKey(), ex.toString());
                continue;
            }
            e.getValue().clear();
        }
        pending.values().removeIf(List::isEmpty);
        return written;
    }

    private Path write(String account, String region, List<byte[]> records, Instant now) throws IOException {
        StringBuilder rnd = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            rnd.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        Path folder = dir.resolve("AWSLogs").resolve(account).resolve("CloudTrail").resolve(region)
                .resolve(DAY.format(now));
        Files.createDirectories(folder);
        String name = account + "_CloudTrail_" + region + "_" + STAMP.format(now) + "_" + rnd + ".json.gz";
        Path tmp = folder.resolve("." + name + ".tmp");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp))) {
            out.write("{\"Records\":[".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            for (int i = 0; i < records.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(records.get(i));
            }
            out.write("]}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        Path target = folder.resolve(name);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        String key = dir.relativize(target).toString().replace(java.io.File.separatorChar, '/');
        for (FileListener l : fileListeners) {
            try {
                l.onFile(key, target);
            } catch (RuntimeException e) {
                LOG.warn("trail file listener {} failed on {}: {}", l, key, e.toString());
            }
        }
        return target;
    }

    @Override
    public synchronized void close() {
        flush(clock.instant());
    }
}
