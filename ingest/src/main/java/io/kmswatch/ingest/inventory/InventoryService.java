package io.kmswatch.ingest.inventory;

import io.kmswatch.events.Topics;
import io.kmswatch.ingest.lookup.LookupConfig;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code kms-key-inventory} fresh for {@code run}/{@code detect}: reads the inventory at start,
 * then every {@link InventoryConfig#refresh()}, and writes it to the topic. A read that fails is logged
 * and tried again at the next refresh; it never stops the pipeline. Close to stop.
 */
public final class InventoryService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InventoryService.class);

    private final KmsInventory inventory;
    private final Topics topics;
    private final Map<String, ?> kafka;
    private final int partitions;
    private final Short replicationFactor;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kmswatch-inventory");
        t.setDaemon(true);
        return t;
    });

    private InventoryService(KmsInventory inventory, Topics topics, Map<String, ?> kafka, int partitions,
                             Short replicationFactor) {
        this.inventory = inventory;
        this.topics = topics;
        this.kafka = Map.copyOf(kafka);
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
    }

    /** Starts reading now and every {@code config.refresh()}. */
    public static InventoryService start(LookupConfig targets, InventoryConfig config, Clock clock, Topics topics,
                                         Map<String, ?> kafka, int partitions, Short replicationFactor) {
        InventoryService s = new InventoryService(new KmsInventory(targets, config, clock), topics, kafka, partitions,
                replicationFactor);
        s.scheduler.scheduleWithFixedDelay(s::refreshQuietly, 0, config.refresh().toMillis(), TimeUnit.MILLISECONDS);
        return s;
    }

    /**
     * Reads once and writes the snapshots (the demo, before its first event).
     *
     * @return what was read
     * @throws io.kmswatch.ingest.IngestException when the snapshots cannot be written
     */
    public static InventoryResult once(KmsInventory inventory, Topics topics, Map<String, ?> kafka, int partitions,
                                       Short replicationFactor) {
        InventoryResult r = inventory.read(false);
        InventoryPublisher.publish(r.keys(), topics, kafka, partitions, replicationFactor);
        return r;
    }

    private void refreshQuietly() {
        try {
            InventoryResult r = inventory.read(false);
            int n = InventoryPublisher.publish(r.keys(), topics, kafka, partitions, replicationFactor);
            LOG.info("inventory: {} keys read in {} and written to {}{}", n, r.took(), topics.kmsKeyInventory().name(),
                    r.failures().isEmpty() ? "" : "; failed: " + r.failures());
        } catch (RuntimeException e) {
            LOG.error("inventory: read failed, next try at the next refresh: {}", e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
