package io.kmswatch.app;

import io.kmswatch.broker.BrokerConfig;
import io.kmswatch.broker.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kmswatch broker}: runs the embedded single-node KRaft broker until Ctrl-C. */
@Command(name = "broker", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Run the embedded single-node Kafka broker (KRaft) and print its bootstrap address.")
final class BrokerCommand implements Callable<Integer> {
    @Option(names = "--data-dir", description = "Keep the broker's data here (survives restarts). Default: a temp dir, deleted on exit.")
    Path dataDir;

    @Option(names = "--port", description = "Listener port (default: a free port).", defaultValue = "0")
    int port;

    @Override
    public Integer call() throws InterruptedException {
        BrokerConfig.Builder config = BrokerConfig.builder();
        if (dataDir != null) {
            config.dataDir(dataDir);
        }
        if (port > 0) {
            config.port(port);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(config.build());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "kmswatch-broker-stop"));
        System.out.println("kmswatch broker running");
        System.out.println("  bootstrap servers: " + broker.bootstrapServers());
        System.out.println("  data dir:          " + broker.dataDir()
                + (dataDir == null ? " (temporary)" : ""));
        System.out.println("Press Ctrl-C to stop.");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
