package io.kmswatch.app;

import io.kmswatch.ingest.IngestService;
import io.kmswatch.ingest.IngestSummary;
import io.kmswatch.ingest.SourcesConfig;
import io.kmswatch.ingest.files.FilesConfig;
import io.kmswatch.ingest.lookup.LookupConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kmswatch ingest}: the sources stage alone — CloudTrail into kms-events. */
@Command(name = "ingest", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Read CloudTrail (LookupEvents, log files, S3) into kms-events; unreadable input into",
            "kms-events-rejected with its reason. Runs until Ctrl-C, or until the files are read when no source follows."})
final class IngestCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--endpoint-url", paramLabel = "URL",
            description = "CloudTrail endpoint for the LookupEvents source (e.g. the kmswatch emulator).")
    String endpointUrl;

    @Option(names = "--files", paramLabel = "PATH", description = "Read these log files or directories (adds a files source).")
    List<Path> files = List.of();

    @Option(names = "--follow", description = "With --files: keep watching for new files.")
    boolean follow;

    @Override
    public Integer call() throws Exception {
        KmswatchConfig config = options.load();
        SourcesConfig sources = config.sources();
        if (endpointUrl != null && sources.lookup() != null) {
            sources = sources.withLookup(sources.lookup().withEndpointUrl(endpointUrl));
        } else if (endpointUrl != null) {
            sources = sources.withLookup(LookupConfig.defaults().withEndpointUrl(endpointUrl));
        }
        if (!files.isEmpty()) {
            sources = sources.withFiles(new FilesConfig(files, follow, null, null, null, null));
        }
        try (Lifecycle life = new Lifecycle()) {
            MetricsEndpoint metrics = life.manage(MetricsEndpoint.start(config.metrics().bind(), config.metrics().port()));
            Pipeline pipeline = life.manage(Pipeline.connect(config, metrics));
            IngestService ingest = pipeline.startIngest(sources);
            System.out.println("kmswatch ingest → " + pipeline.topics().kmsEvents().name() + " on " + pipeline.bootstrapServers()
                    + " from " + String.join(", ", ingest.sourceIds()));
            System.out.flush();
            Thread waiter = new Thread(() -> {
                try {
                    ingest.awaitTermination(Duration.ofDays(365_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                life.requestStop();
            }, "kmswatch-ingest-wait");
            waiter.setDaemon(true);
            waiter.start();
            life.await(null);
            for (Map.Entry<String, IngestSummary> e : ingest.summaries().entrySet()) {
                System.err.println(e.getKey() + ": " + e.getValue());
            }
            if (ingest.failure().isPresent()) {
                System.err.println("kmswatch ingest: " + Kmswatch.messageOf(ingest.failure().get()));
                return 1;
            }
        }
        return 0;
    }
}
