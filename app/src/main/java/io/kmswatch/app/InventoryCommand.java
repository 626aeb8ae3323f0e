package io.kmswatch.app;

import io.kmswatch.events.Json;
import io.kmswatch.ingest.inventory.InventoryConfig;
import io.kmswatch.ingest.inventory.InventoryReport;
import io.kmswatch.ingest.inventory.InventoryResult;
import io.kmswatch.ingest.inventory.KmsInventory;
import io.kmswatch.ingest.lookup.LookupConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kmswatch inventory}: every key of the configured accounts and Regions read from the KMS API,
 * one row per key, and the posture findings (KMS.3, KMS.4, KMS.5, grants to other accounts, keys whose
 * policy lets IAM decide). Exit 1 when an account-Region could not be listed.
 */
@Command(name = "inventory", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Read every KMS key of the accounts and Regions of sources.lookup from the KMS API (ListKeys,",
            "DescribeKey, GetKeyPolicy, GetKeyRotationStatus, ListGrants, ListResourceTags, ListAliases) and print",
            "one row per key and the posture findings. Stays under half of KMS's request quotas by default."})
final class InventoryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "The YAML configuration: sources.lookup (accounts,"
            + " Regions, profiles, assume-role), inventory (quotaShare, threads), detections.trustedAccounts.")
    Path config;

    @Option(names = {"--endpoint", "--endpoint-url"}, paramLabel = "URL", description = "KMS endpoint (e.g. the kmswatch emulator).")
    String endpoint;

    @Option(names = "--json", description = "Print JSON: {keys: [...], findings: [...], failures: [...]}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        KmswatchConfig c = config == null ? KmswatchConfig.defaults() : ConfigFiles.load(config, KmswatchConfig.class);
        LookupConfig targets = c.inventoryTargets();
        if (endpoint != null) {
            targets = targets.withEndpointUrl(endpoint);
        }
        InventoryConfig settings = c.inventorySettings();
        InventoryResult result = new KmsInventory(targets, settings, Clock.systemUTC()).read(!json);
        InventoryReport report = new InventoryReport(result, settings.trustedAccounts()::contains);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report.toJson()));
        } else {
            report.print(out);
        }
        out.flush();
        for (String failure : result.failures()) {
            spec.commandLine().getErr().println("kmswatch: inventory: " + failure);
        }
        return result.failures().isEmpty() ? 0 : 1;
    }
}
