package io.kmswatch.app;

import io.kmswatch.streams.DetectApp;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kmswatch detect}: the detection stage alone (kms-events → kms-detections). Several processes
 * with the same application id share the partitions.
 */
@Command(name = "detect", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Run the detections (Kafka Streams) from kms-events to kms-detections.",
            "Start more processes with the same --application-id to share the partitions."})
final class DetectCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Mixin
    RulesOptions rules;

    @Option(names = "--application-id", defaultValue = "kmswatch-detect", description = "Kafka Streams application id (default ${DEFAULT-VALUE}).")
    String applicationId;

    @Override
    public Integer call() throws Exception {
        KmswatchConfig config = rules.apply(options.load());
        try (Lifecycle life = new Lifecycle()) {
            MetricsEndpoint metrics = life.manage(MetricsEndpoint.start(config.metrics().bind(), config.metrics().port()));
            Pipeline pipeline = life.manage(Pipeline.connect(config, metrics));
            DetectApp detect = pipeline.startDetect(applicationId);
            if (config.inventory().enabled()) {
                pipeline.startInventory();
            }
            System.out.println("kmswatch detect (" + applicationId + ", " + config.streams().processingGuarantee() + "): "
                    + detect.topics().kmsEvents().name() + " → " + detect.topics().kmsDetections().name()
                    + " on " + pipeline.bootstrapServers());
            System.out.flush();
            life.await(null);
        }
        return 0;
    }
}
