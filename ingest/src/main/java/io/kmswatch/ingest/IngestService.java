package io.kmswatch.ingest;

import io.kmswatch.events.CloudTrailCodec;
import io.kmswatch.ingest.feed.EmulatorFeed;
import io.kmswatch.ingest.files.FilesConfig;
import io.kmswatch.ingest.files.LogFileSource;
import io.kmswatch.ingest.lookup.LookupEventsSource;
import io.kmswatch.ingest.s3.S3LogSource;
import io.kmswatch.ingest.sqs.SqsSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest stage: runs the configured sources (SQS, LookupEvents, log files, S3), each on its own
 * thread with its own idempotent producer, checkpoints in the compacted checkpoint topic. The app
 * calls:
 * <ul>
 *   <li>{@link #start} for {@code kmswatch ingest} / {@code run}: sources run until {@link #close()}
 *       (one-pass sources end by themselves; {@link #awaitTermination} waits for them);</li>
 *   <li>{@link #replay} for {@code kmswatch replay}: reads files to the end, returns the counts;</li>
 *   <li>{@link #emulatorFeed} for the embedded demo: a listener to subscribe to the emulator.</li>
 * </ul>
 */
public final class IngestService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);

    private final List<IngestSource> sources = new ArrayList<>();
    private final List<EventPublisher> publishers = new ArrayList<>();
    private final Map<String, IngestSummary> summaries = new ConcurrentHashMap<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CountDownLatch done;
    private final List<Thread> threads = new ArrayList<>();

    private IngestService(int count) {
        this.done = new CountDownLatch(count);
    }

    /**
     * Creates missing topics, loads checkpoints and starts every configured source.
     *
     * @param kafka    Kafka settings laid over {@code config.kafka()} (the app passes the embedded
     *                 broker's bootstrap servers here); may be empty
     * @param registry where each source's {@link IngestMetrics} is bound
     * @throws IngestException when Kafka cannot be reached or the checkpoints cannot be read
     */
    public static IngestService start(IngestConfig config, Map<String, ?> kafka, MeterRegistry registry) {
        IngestConfig c = config.withKafka(kafka);
        SourcesConfig s = c.sources();
        Map<String, Object> settings = new LinkedHashMap<>(c.kafka());
        prepare(c, settings);
        CheckpointStore checkpoints = CheckpointStore.load(settings, c.checkpointTopicName());
        CloudTrailCodec codec = new CloudTrailCodec();
        int count = (s.lookup() != null ? 1 : 0) + (s.files() != null ? 1 : 0) + (s.s3() != null ? 1 : 0)
                + (s.sqs() != null ? 1 : 0);
        IngestService service = new IngestService(count);
        try {
            if (s.lookup() != null) {
                EventPublisher p = service.publisher(c, settings, LookupEventsSource.ID, registry);
                service.sources.add(new LookupEventsSource(s.lookup(), p, checkpoints));
            }
            if (s.files() != null) {
                EventPublisher p = service.publisher(c, settings, LogFileSource.ID, registry);
                service.sources.add(new LogFileSource(s.files(), p, checkpoints, codec));
            }
            if (s.s3() != null) {
                EventPublisher p = service.publisher(c, settings, S3LogSource.ID, registry);
                service.sources.add(new S3LogSource(s.s3(), p, checkpoints, codec));
            }
            if (s.sqs() != null) {
                EventPublisher p = service.publisher(c, settings, SqsSource.ID, registry);
                service.sources.add(new SqsSource(s.sqs(), p, codec, registry));
            }
        } catch (RuntimeException e) {
            service.publishers.forEach(EventPublisher::close);
            throw e;
        }
        for (IngestSource source : service.sources) {
            Thread t = new Thread(() -> service.runSource(source), "kmswatch-ingest-" + source.id());
            service.threads.add(t);
            t.start();
        }
        LOG.info("ingest started: sources {}", service.sources.stream().map(IngestSource::id).toList());
        return service;
    }

    /**
     * Reads the given files and directories once into Kafka and returns when every record is
     * acknowledged; files a previous run completed are skipped (checkpoints), so an interrupted
     * replay resumes. Only the files source runs, whatever else the configuration holds.
     *
     * @param progress show a progress bar on a terminal (log lines otherwise)
     * @throws IngestException when a send to Kafka failed after retries
     */
    public static IngestSummary replay(IngestConfig config, Map<String, ?> kafka, List<Path> paths, boolean progress,
                                       MeterRegistry registry) {
        return replay(config, kafka, new FilesConfig(paths, false, null, progress, null, null), registry);
    }

    /**
     * {@link #replay(IngestConfig, Map, List, boolean, MeterRegistry)} with every files setting
     * ({@code follow} is ignored: a replay ends).
     *
     * @throws IngestException when a send to Kafka failed after retries
     */
    public static IngestSummary replay(IngestConfig config, Map<String, ?> kafka, FilesConfig files,
                                       MeterRegistry registry) {
        return replay(config, kafka, files, registry, true);
    }

    /**
     * {@link #replay(IngestConfig, Map, FilesConfig, MeterRegistry)}; with {@code resume} false the
     * checkpoints of earlier runs are not read, so every file is read again (this run still saves its own).
     *
     * @throws IngestException when a send to Kafka failed after retries
     */
    public static IngestSummary replay(IngestConfig config, Map<String, ?> kafka, FilesConfig files,
                                       MeterRegistry registry, boolean resume) {
        FilesConfig once = new FilesConfig(files.paths(), false, files.pollInterval(), files.progress(),
                files.checkpointInterval(), files.readers());
        IngestConfig c = config.withKafka(kafka).withSources(new SourcesConfig(null, once, null, null,
                config.sources() != null && config.sources().allEvents()));
        Map<String, Object> settings = new LinkedHashMap<>(c.kafka());
        prepare(c, settings);
        CheckpointStore checkpoints = resume ? CheckpointStore.load(settings, c.checkpointTopicName())
                : CheckpointStore.empty(c.checkpointTopicName());
        IngestMetrics metrics = new IngestMetrics(LogFileSource.ID);
        metrics.bindTo(registry);
        try (EventPublisher publisher = new EventPublisher(settings, c.topics(), c.checkpointTopicName(), metrics)
                .allEvents(c.sources().allEvents())) {
            return new LogFileSource(c.sources().files(), publisher, checkpoints, new CloudTrailCodec()).run();
        }
    }

    /**
     * A listener that sends emulator records to {@code kms-events}; close it when the emulator stops.
     *
     * @throws IngestException when the topics cannot be created
     */
    public static EmulatorFeed emulatorFeed(IngestConfig config, Map<String, ?> kafka, MeterRegistry registry) {
        IngestConfig c = config.withKafka(kafka);
        Map<String, Object> settings = new LinkedHashMap<>(c.kafka());
        prepare(c, settings);
        IngestMetrics metrics = new IngestMetrics(EmulatorFeed.ID);
        metrics.bindTo(registry);
        return new EmulatorFeed(new EventPublisher(settings, c.topics(), c.checkpointTopicName(), metrics)
                .allEvents(c.sources() != null && c.sources().allEvents()));
    }

    private static void prepare(IngestConfig c, Map<String, Object> settings) {
        if (!settings.containsKey("bootstrap.servers")) {
            throw new IngestException("no Kafka bootstrap.servers: set kafka.bootstrap.servers in the ingest config");
        }
        if (c.createTopics()) {
            IngestTopics.ensure(c, settings);
        }
    }

    private EventPublisher publisher(IngestConfig c, Map<String, Object> settings, String source,
                                     MeterRegistry registry) {
        IngestMetrics metrics = new IngestMetrics(source);
        metrics.bindTo(registry);
        EventPublisher p = new EventPublisher(settings, c.topics(), c.checkpointTopicName(), metrics)
                .allEvents(c.sources() != null && c.sources().allEvents());
        publishers.add(p);
        return p;
    }

    private void runSource(IngestSource source) {
        try {
            IngestSummary s = source.run();
            summaries.put(source.id(), s);
            LOG.info("ingest source {} finished: {}", source.id(), s);
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
            LOG.error("ingest source {} stopped: {}", source.id(), e.getMessage());
        } finally {
            done.countDown();
        }
    }

    /**
     * Waits until every source ended (one-pass sources end by themselves; following ones only when
     * stopped).
     *
     * @return true when all ended within the timeout
     * @throws IngestException when a source stopped on an error
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        boolean ended = done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Throwable t = failure.get();
        if (t != null) {
            throw t instanceof IngestException ie ? ie : new IngestException("ingest source failed: " + t, t);
        }
        return ended;
    }

    /** The summaries of the sources that ended, by source id. */
    public Map<String, IngestSummary> summaries() {
        return Map.copyOf(summaries);
    }

    /** The error that stopped a source, if any. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** The running sources' ids. */
    public List<String> sourceIds() {
        return sources.stream().map(IngestSource::id).toList();
    }

    /** Stops every source (each saves its checkpoint), waits for them, closes the producers. */
    @Override
    public void close() {
        sources.forEach(IngestSource::stop);
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        publishers.forEach(EventPublisher::close);
    }
}
