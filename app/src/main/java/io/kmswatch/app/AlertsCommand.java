package io.kmswatch.app;

import io.kmswatch.alerts.AlertsConfig;
import io.kmswatch.alerts.SinkSpec;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kmswatch alerts}: the alert stage alone (kms-detections → kms-alerts → sinks). */
@Command(name = "alerts", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Run the alert manager (suppression, routing, silences) and deliver alerts to the sinks,",
            "with retries and a dead-letter topic."})
final class AlertsCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--sink", paramLabel = "TYPE=TARGET",
            description = "Also deliver every alert here (repeatable): alertmanager=URL, webhook=URL, slack=URL, jsonl=FILE.")
    List<String> sinks = List.of();

    @Option(names = "--application-id", defaultValue = "kmswatch-alerts", description = "Kafka Streams application id (default ${DEFAULT-VALUE}).")
    String applicationId;

    @Override
    public Integer call() throws Exception {
        KmswatchConfig config = options.load();
        AlertsConfig alerts = config.alerts().withShortcutSinks(sinks.stream().map(SinkSpec::parse).toList());
        try (Lifecycle life = new Lifecycle()) {
            MetricsEndpoint metrics = life.manage(MetricsEndpoint.start(config.metrics().bind(), config.metrics().port()));
            Pipeline pipeline = life.manage(Pipeline.connect(config, metrics));
            pipeline.startAlerts(applicationId, alerts);
            System.out.println("kmswatch alerts (" + applicationId + "): " + pipeline.topics().kmsDetections().name()
                    + " → " + pipeline.topics().kmsAlerts().name() + " on " + pipeline.bootstrapServers());
            System.out.flush();
            life.await(null);
        }
        return 0;
    }
}
