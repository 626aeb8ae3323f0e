package io.kmswatch.app;

import io.kmswatch.alerts.AlertsConfig;
import io.kmswatch.alerts.SinkSpec;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kmswatch run --config FILE}: the production wiring in one process — sources → kms-events →
 * detections → alerts → sinks, with {@code /metrics}. {@code ingest}, {@code detect} and {@code alerts}
 * run one stage each, for scale-out.
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Run the whole pipeline from one configuration file: ingest, detect, alerts, /metrics.",
            "Without kafka.bootstrapServers an embedded broker keeps its data under workDir."})
final class RunCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Mixin
    RulesOptions rules;

    @Option(names = "--sink", paramLabel = "TYPE=TARGET",
            description = "Also deliver every alert here (repeatable): alertmanager=URL, webhook=URL, slack=URL, jsonl=FILE.")
    List<String> sinks = List.of();

    @Override
    public Integer call() throws Exception {
        KmswatchConfig config = rules.apply(options.load());
        AlertsConfig alerts = config.alerts().withShortcutSinks(sinks.stream().map(SinkSpec::parse).toList());
        try (Lifecycle life = new Lifecycle()) {
            MetricsEndpoint metrics = life.manage(MetricsEndpoint.start(config.metrics().bind(), config.metrics().port()));
            Pipeline pipeline = life.manage(Pipeline.connect(config, metrics));
            pipeline.startIngest(config.sources());
            pipeline.startDetect("kmswatch-detect");
            if (config.inventory().enabled()) {
                pipeline.startInventory();
            }
            pipeline.startAlerts("kmswatch-alerts", alerts);
            System.out.println("kmswatch running");
            System.out.println("  kafka:   " + pipeline.bootstrapServers() + (pipeline.embeddedBroker() ? " (embedded)" : ""));
            System.out.println("  sources: " + String.join(", ", pipeline.ingest().sourceIds()));
            if (metrics.url() != null) {
                System.out.println("  metrics: " + metrics.url());
            }
            System.out.println("Press Ctrl-C to stop.");
            System.out.flush();
            life.await(null);
        }
        return 0;
    }
}
