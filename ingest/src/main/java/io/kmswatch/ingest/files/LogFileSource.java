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
 * throughput stays close to raw produce; {@code readers} files can be read in parallel. With one reader
 * (the default, whose records reach Kafka in exactly the order of the files), decoding and sending still
 * run on two threads: the reader decodes (gunzip, parse) and hands the records over in order to a
 * sender thread that publishes them, so both cores work on one ordered stream. With {@code follow} the directories are scanned again
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
        OrderedSender sender = config.readers() == 1 ? new OrderedSender(failure) : null;
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
                            if (sender != null) {
                                readFile(file, counts, progress, sender);
                            } else {
                                readFile(file, counts, progress);
                            }
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
                if (sender != null) {
                    sender.drain(); // and every record read handed to the publisher
                }
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
            if (sender != null) {
                sender.close();
            }
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

    /** {@link #readFile(Path, AtomicLongArray, ReplayProgress)} with the sends on the sender's thread, in order. */
    private void readFile(Path file, AtomicLongArray counts, ReplayProgress progress, OrderedSender sender) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            size = -1;
        }
        long finalSize = size;
        AckCounter counter = new AckCounter(() -> completed.add(new Done(file, finalSize)));
        PublishingSink target = new PublishingSink(publisher, counter);
        OrderedSender.Handing sink = sender.handing(target);
        LogFiles.read(codec, file, sink);
        // after the file's last record, on the sender's thread; never once a send failed (the file's records
        // may not all have been sent, and finishing its reading would record it done)
        sink.finish(() -> {
            counter.readFinished();
            counts.incrementAndGet(0);
            counts.addAndGet(2, target.records());
            counts.addAndGet(3, target.rejected());
            progress.fileDone(target.records());
        });
    }

    /**
     * The sending half of the one-reader pipeline: a thread that publishes, in the order they were read, the
     * records and rejections the reader hands over in chunks (a bounded queue, so the reader runs at most
     * {@value #QUEUED_CHUNKS} chunks ahead). A send that throws (the publisher turned unhealthy) is kept as
     * the source's failure; what follows it is dropped, not sent, and no file is finished after it.
     */
    static final class OrderedSender implements AutoCloseable {
        private static final int CHUNK = 256;
        private static final int QUEUED_CHUNKS = 16;
        private static final Object[] STOP = new Object[0];

        private final java.util.concurrent.BlockingQueue<Object[]> queue =
                new java.util.concurrent.ArrayBlockingQueue<>(QUEUED_CHUNKS);
        private final AtomicReference<RuntimeException> failure;
        private final Thread thread;
        /** Set by {@link #close()}: whatever is still queued then (a replay cut short) is dropped. */
        private volatile boolean closed;

        /** One handed-over record or rejection, and the sink of its file. */
        private record Item(PublishingSink target, io.kmswatch.events.CloudTrailEvent event, String location,
                            io.kmswatch.events.Rejected rejected) {
        }

        /** Runs on the sender's thread after what was handed before it, unless a send failed. */
        private record FileEnd(Runnable action) {
        }

        /** Counts down once everything handed before it was dealt with, failed or not. */
        private record Barrier(CountDownLatch latch) {
        }

        OrderedSender(AtomicReference<RuntimeException> failure) {
            this.failure = failure;
            this.thread = new Thread(this::loop, "kmswatch-files-sender");
            thread.setDaemon(true);
            thread.start();
        }

        /** A codec sink for one file, on the reader's thread, that hands what it gets over to {@code target}. */
        Handing handing(PublishingSink target) {
            return new Handing(target);
        }

        /** Waits until everything handed over so far was sent (or dropped after a failure). */
        void drain() throws InterruptedException {
            CountDownLatch latch = new CountDownLatch(1);
            put(new Object[] {new Barrier(latch)});
            while (!latch.await(100, TimeUnit.MILLISECONDS)) {
                if (!thread.isAlive()) {
                    throw new IllegalStateException("the replay's sender thread ended");
                }
            }
        }

        @Override
        public void close() {
            closed = true;
            if (!queue.offer(STOP)) {
                thread.interrupt();
            }
        }

        private void put(Object[] chunk) throws InterruptedException {
            while (!queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                if (!thread.isAlive()) {
                    throw new IllegalStateException("the replay's sender thread ended");
                }
            }
        }

        private void loop() {
            try {
                while (true) {
                    Object[] chunk = queue.take();
                    if (chunk == STOP) {
                        return;
                    }
                    for (Object o : chunk) {
                        if (o == null) {
                            break;
                        }
                        deal(o);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void deal(Object o) {
            if (o instanceof Barrier b) {
                b.latch().countDown();
                return;
            }
            if (failure.get() != null || closed) {
                return;
            }
            try {
                if (o instanceof Item item) {
                    if (item.event() != null) {
                        item.target().record(item.event(), item.location());
                    } else {
                        item.target().rejected(item.rejected());
                    }
                } else if (o instanceof FileEnd end) {
                    end.action().run();
                }
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        }

        /** The reader's side: collects a file's output in chunks and queues them for the sender. */
        final class Handing implements CloudTrailCodec.Sink {
            private final PublishingSink target;
            private Object[] chunk = new Object[CHUNK];
            private int n;

            Handing(PublishingSink target) {
                this.target = target;
            }

            @Override
            public void record(io.kmswatch.events.CloudTrailEvent event, String location) {
                // derived here, where the event was just parsed and is in this core's cache (the sender would
                // fetch its resources from the other core to find the key): the result is kept in the event
                event.partitionKey();
                add(new Item(target, event, location, null));
            }

            @Override
            public void rejected(io.kmswatch.events.Rejected rejected) {
                add(new Item(target, null, null, rejected));
            }

            /** Hands over the rest of the file and {@code action} to run after it. */
            void finish(Runnable action) {
                add(new FileEnd(action));
                hand();
            }

            private void add(Object o) {
                chunk[n++] = o;
                if (n == CHUNK) {
                    hand();
                }
            }

            private void hand() {
                if (n == 0) {
                    return;
                }
                RuntimeException failed = failure.get();
                if (failed != null) {
                    throw failed; // stops reading this file: nothing more of it would be sent
                }
                Object[] full = chunk;
                chunk = new Object[CHUNK];
                n = 0;
                try {
                    put(full);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new io.kmswatch.ingest.IngestException("interrupted while handing records to the sender", e);
                }
            }
        }
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
