package io.kmswatch.ingest.files;

import io.kmswatch.events.CloudTrailCodec;
import io.kmswatch.ingest.CheckpointStore;
import io.kmswatch.ingest.EventPublisher;
import io.kmswatch.ingest.IngestMetrics;
import io.kmswatch.ingest.IngestSource;
import io.kmswatch.ingest.IngestSummary;
import io.kmswatch.ingest.internal.AckCounter;
import io.kmswatch.ingest.internal.CheckpointJson;
import io.kmswatch.ingest.internal.PublishingSink;
import io.kmswatch.ingest.internal.ReplayProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads CloudTrail log files from disk: single files, or directory trees (the S3 delivery layout
 * {@code AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/…json.gz}, or anything else), gzip or
 * plain, any wrapper the codec knows; digest files skipped.
 *
 * <p>A file is recorded done (in the checkpoint of its directory, see {@link FileCheckpoint}) only
 * once Kafka acknowledged every record and rejection read from it, so a crash mid-file re-reads
 * that file on restart: nothing is lost, and the repeats are dropped downstream by eventID.
 * Acknowledgements are tracked per file without flushing the producer between files, so replay
 * throughput stays close to raw produce; {@code readers} files can be read in parallel. With {@code follow} the directories are scanned again
 * every {@code pollInterval}; files modified in the last two seconds wait for the next scan, as they
 * may still be being written.
 */
public final class LogFileSource implements IngestSource {
    private static final Logger LOG = LoggerFactory.getLogger(LogFileSource.class);
    /** Checkpoint key prefix. */
    public static final String ID = "files";
    private static final Duration SETTLE = Duration.ofSeconds(2);

    private final FilesConfig config;
    private final EventPublisher publisher;
    private final CheckpointStore checkpoints;
    private final CloudTrailCodec codec;
    private final IngestMetrics metrics;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final ConcurrentLinkedQueue<Done> completed = new ConcurrentLinkedQueue<>();
    private final Map<Path, Map<String, Long>> dirs = new HashMap<>();
    private long lastCommit = System.nanoTime();

    private record Done(Path file, long size) {
    }

    public LogFileSource(FilesConfig config, EventPublisher publisher, CheckpointStore checkpoints,
                         CloudTrailCodec codec) {
        this.config = config;
        this.publisher = publisher;
        this.checkpoints = checkpoints;
        this.codec = codec;
        this.metrics = publisher.metrics();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void stop() {
        stopped.countDown();
    }

    private boolean isStopped() {
        return stopped.getCount() == 0;
    }

    @Override
    public IngestSummary run() {
        long started = System.nanoTime();
        long produced0 = metrics.produced();
        long filtered0 = metrics.filtered();
        AtomicLongArray counts = new AtomicLongArray(4); // files, skipped, records, rejected
        ExecutorService readers = Executors.newFixedThreadPool(config.readers(), r -> {
            Thread t = new Thread(r, "kmswatch-files-reader");
            t.setDaemon(true);
            return t;
        });
        Semaphore window = new Semaphore(config.readers() * 2);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        try (ReplayProgress progress = ReplayProgress.create("replay", 0, config.progress())) {
            boolean first = true;
            while (!isStopped()) {
                List<Path> todo = scan(first, counts);
                progress.addTotal(todo.size());
                for (Path file : todo) {
                    if (isStopped() || failure.get() != null) {
                        break;
                    }
                    window.acquire();
                    readers.execute(() -> {
                        try {
                            readFile(file, counts, progress);
                        } catch (RuntimeException e) {
                            failure.compareAndSet(null, e);
                        } finally {
                            window.release();
                        }
                    });
                    commit(false);
                }
                window.acquire(config.readers() * 2); // every file read
                window.release(config.readers() * 2);
                if (failure.get() != null) {
                    throw failure.get();
                }
                first = false;
                if (!config.follow()) {
                    break;
                }
                publisher.flush();
                commit(true);
                if (stopped.await(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
            }
            publisher.flush();
            commit(true);
            publisher.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            readers.shutdownNow();
        }
        return new IngestSummary(counts.get(0), counts.get(1), counts.get(2), metrics.produced() - produced0,
                counts.get(3), metrics.filtered() - filtered0, 0, Duration.ofNanos(System.nanoTime() - started));
    }

    /** Files not yet done, in path order. */
    private List<Path> scan(boolean first, AtomicLongArray counts) {
        List<Path> todo = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        long now = System.currentTimeMillis();
        for (Path root : config.paths()) {
            List<Path> files;
            if (Files.isDirectory(root)) {
                try {
                    files = LogFiles.listFiles(root);
                } catch (java.io.UncheckedIOException e) {
                    if (!config.follow()) {
                        throw e;
                    }
                    // following: a directory that cannot be listed now (permissions changed, a mount away) is
                    // listed again on the next pass instead of stopping the source
                    LOG.warn("log file source: cannot list {} ({}); trying again in {}", root,
                            e.getCause() == null ? e.getMessage() : e.getCause().toString(), config.pollInterval());
                    continue;
                }
            } else if (Files.isRegularFile(root)) {
                files = LogFiles.isDigestPath(root.toString()) ? List.of() : List.of(root);
            } else {
                if (first) {
                    LOG.warn("log file source: {} does not exist (yet)", root);
                }
                continue;
            }
            for (Path f : files) {
                if (!seen.add(f)) {
                    continue;
                }
                long size;
                long modified;
                try {
                    size = Files.size(f);
                    modified = Files.getLastModifiedTime(f).toMillis();
                } catch (IOException e) {
                    continue; // vanished between listing and stat
                }
                Long doneSize = checkpointOf(f.getParent()).get(f.getFileName().toString());
                if (doneSize != null && doneSize == size) {
                    if (first) {
                        counts.incrementAndGet(1);
                    }
                    continue;
                }
                if (config.follow() && now - modified < SETTLE.toMillis()) {
                    continue;
                }
                if (doneSize != null) {
                    LOG.warn("log file {} changed size since it was read ({} -> {} bytes); reading it again", f,
                            doneSize, size);
                }
                todo.add(f);
            }
        }
        return todo;
    }

    private void readFile(Path file, AtomicLongArray counts, ReplayProgress progress) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            size = -1;
        }
        long finalSize = size;
        AckCounter counter = new AckCounter(() -> completed.add(new Done(file, finalSize)));
        PublishingSink sink = new PublishingSink(publisher, counter);
        LogFiles.read(codec, file, sink);
        counter.readFinished();
        counts.incrementAndGet(0);
        counts.addAndGet(2, sink.records());
        counts.addAndGet(3, sink.rejected());
        progress.fileDone(sink.records());
    }

    private Map<String, Long> checkpointOf(Path dir) {
        return dirs.computeIfAbsent(dir, d -> new TreeMap<>(checkpoints.get(key(d))
                .map(v -> CheckpointJson.read(key(d), v, FileCheckpoint.class))
                .orElseGet(() -> new FileCheckpoint(null)).done()));
    }

    private static String key(Path dir) {
        return ID + ":" + dir.toAbsolutePath().normalize();
    }

    /** Writes the checkpoints of directories whose files completed, at most once a second unless forced. */
    private void commit(boolean force) {
        publisher.checkHealthy();
        if (completed.isEmpty() || (!force && System.nanoTime() - lastCommit < config.checkpointInterval().toNanos())) {
            return;
        }
        lastCommit = System.nanoTime();
        Set<Path> changed = new HashSet<>();
        Done d;
        while ((d = completed.poll()) != null) {
            Path dir = d.file().getParent();
            checkpointOf(dir).put(d.file().getFileName().toString(), d.size());
            changed.add(dir);
            metrics.recordFileDone();
        }
        for (Path dir : changed) {
            checkpoints.save(publisher, key(dir), CheckpointJson.write(new FileCheckpoint(checkpointOf(dir))));
        }
    }
}
