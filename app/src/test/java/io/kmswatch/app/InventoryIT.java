package io.kmswatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmswatch.alerts.AlertsConfig;
import io.kmswatch.broker.EmbeddedKafkaBroker;
import io.kmswatch.broker.EmbeddedKafkaExtension;
import io.kmswatch.emulator.EmulatorConfig;
import io.kmswatch.emulator.KmsEmulator;
import io.kmswatch.events.Alert;
import io.kmswatch.events.AlertStatus;
import io.kmswatch.events.Json;
import io.kmswatch.events.Topics;
import io.kmswatch.events.inventory.KeyPosture;
import io.kmswatch.ingest.inventory.InventoryConfig;
import io.kmswatch.ingest.inventory.InventoryResult;
import io.kmswatch.ingest.inventory.KmsInventory;
import io.kmswatch.ingest.inventory.KmsRequestQuotas;
import io.kmswatch.ingest.lookup.LookupAccountConfig;
import io.kmswatch.ingest.lookup.LookupConfig;
import io.kmswatch.ingest.SourcesConfig;
import io.kmswatch.streams.DetectionsConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.StreamSupport;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AlgorithmSpec;
import software.amazon.awssdk.services.kms.model.ExpirationModelType;
import software.amazon.awssdk.services.kms.model.GetParametersForImportResponse;
import software.amazon.awssdk.services.kms.model.GrantOperation;
import software.amazon.awssdk.services.kms.model.OriginType;
import software.amazon.awssdk.services.kms.model.WrappingKeySpec;

/**
 * The KMS API inventory end to end against the emulator over HTTP: keys in every state the posture
 * findings care about, {@code kmswatch inventory --json} checked row by row and finding by finding; then
 * the running pipeline seeded from kms-key-inventory, its key inventory and posture alerts following two
 * changes made through the API from the CloudTrail events alone.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class InventoryIT {
    private static final String ACCOUNT = EmulatorConfig.DEFAULT_ACCOUNT;
    private static final String PARTNER = "444455556666";
    private static final String EAST = "us-east-1";
    private static final String WEST = "us-west-2";
    private static final StaticCredentialsProvider ADMIN = StaticCredentialsProvider.create(
            AwsBasicCredentials.create(EmulatorConfig.DEFAULT_ACCESS_KEY_ID, EmulatorConfig.DEFAULT_SECRET_ACCESS_KEY));
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Map<String, String> SAVED = new HashMap<>();

    /** {@code kmswatch inventory} takes the SDK's default credentials chain; these are the emulator's admin. */
    @BeforeAll
    static void credentials() {
        for (var e : Map.of("aws.accessKeyId", EmulatorConfig.DEFAULT_ACCESS_KEY_ID,
                "aws.secretAccessKey", EmulatorConfig.DEFAULT_SECRET_ACCESS_KEY).entrySet()) {
            SAVED.put(e.getKey(), System.getProperty(e.getKey()));
            System.setProperty(e.getKey(), e.getValue());
        }
    }

    @AfterAll
    static void restore() {
        SAVED.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
    }

    /** The keys of the scenario, by role. */
    record Keys(String rotationOff, String pending, String open, String shared, String imported, String primary,
                String replica, String awsManaged, String grantId) {
    }

    @Test
    void shouldInventoryEveryKeyAndKeepThePipelineCurrentFromEvents(EmbeddedKafkaBroker kafka) throws Exception {
        Path work = Files.createTempDirectory("kmswatch-inventory-it");
        try (KmsEmulator emulator = KmsEmulator.start(EmulatorConfig.defaults().withPort(0));
             KmsClient east = kms(emulator, EAST); KmsClient west = kms(emulator, WEST)) {
            Keys k = createKeys(emulator, east, west);
            Path config = work.resolve("kmswatch.yaml");
            Files.writeString(config, "sources:\n  lookup:\n    regions: [" + EAST + ", " + WEST + "]\n"
                    + "    endpointUrl: " + emulator.endpoint() + "\n    accounts: [{id: \"" + ACCOUNT + "\"}]\n"
                    + "inventory: {quotaShare: 0.5, threads: 4}\n");

            JsonNode out = inventoryJson(config);
            Map<String, JsonNode> rows = new HashMap<>();
            out.get("keys").forEach(r -> rows.put(r.get("keyArn").asText(), r));
            assertThat(rows.keySet()).containsExactlyInAnyOrder(k.rotationOff, k.pending, k.open, k.shared, k.imported,
                    k.primary, k.replica, k.awsManaged);
            assertThat(out.get("failures")).isEmpty();
            out.get("keys").forEach(r -> assertThat(r.get("errors")).as(r.get("keyArn").asText()).isEmpty());

            assertRow(rows.get(k.rotationOff), "CUSTOMER", "Enabled", "AWS_KMS", false, null);
            assertThat(rows.get(k.rotationOff).get("aliases")).extracting(JsonNode::asText).containsExactly("alias/rotation-off");
            assertThat(rows.get(k.rotationOff).get("iamDecides").asBoolean()).isTrue();
            assertThat(rows.get(k.rotationOff).get("tags").get("team").asText()).isEqualTo("payments");
            assertRow(rows.get(k.pending), "CUSTOMER", "PendingDeletion", "AWS_KMS", null, null);
            assertThat(rows.get(k.pending).get("deletionDate").isNull()).isFalse();
            assertRow(rows.get(k.open), "CUSTOMER", "Enabled", "AWS_KMS", true, null);
            assertThat(rows.get(k.open).get("public").asBoolean()).isTrue();
            assertThat(rows.get(k.open).get("rotationPeriodInDays").asInt()).isEqualTo(365);
            assertRow(rows.get(k.shared), "CUSTOMER", "Enabled", "AWS_KMS", true, null);
            assertThat(rows.get(k.shared).get("public").asBoolean()).isFalse();
            assertThat(rows.get(k.shared).get("externalGrants")).singleElement().satisfies(g -> {
                assertThat(g.get("grantId").asText()).isEqualTo(k.grantId);
                assertThat(g.get("granteePrincipal").asText()).isEqualTo("arn:aws:iam::" + PARTNER + ":role/partner-app");
            });
            assertRow(rows.get(k.imported), "CUSTOMER", "Enabled", "EXTERNAL", null, null);
            assertRow(rows.get(k.primary), "CUSTOMER", "Enabled", "AWS_KMS", true, "PRIMARY");
            // A replica rotates with its primary; the emulator keeps its own flag, so it is not checked here.
            assertRow(rows.get(k.replica), "CUSTOMER", "Enabled", "AWS_KMS", null, "REPLICA");
            assertThat(rows.get(k.replica).get("region").asText()).isEqualTo(WEST);
            assertThat(rows.get(k.replica).get("primaryKeyArn").asText()).isEqualTo(k.primary);
            assertRow(rows.get(k.awsManaged), "AWS", "Enabled", "AWS_KMS", null, null);
            assertThat(rows.get(k.awsManaged).get("aliases")).extracting(JsonNode::asText).containsExactly("alias/aws/s3");
            for (String notShared : List.of(k.rotationOff, k.pending, k.open, k.imported, k.primary, k.replica, k.awsManaged)) {
                assertThat(rows.get(notShared).get("externalGrants")).as(notShared).isEmpty();
            }

            List<String> alerted = new ArrayList<>();
            List<String> informational = new ArrayList<>();
            for (JsonNode f : out.get("findings")) {
                String line = f.get("id").asText() + " " + f.get("keyArn").asText();
                (KeyPosture.ALERTED.contains(f.get("id").asText()) ? alerted : informational).add(line);
            }
            assertThat(alerted).containsExactlyInAnyOrder(
                    KeyPosture.ROTATION_DISABLED + " " + k.rotationOff,
                    KeyPosture.PENDING_DELETION + " " + k.pending,
                    KeyPosture.PUBLIC + " " + k.open,
                    KeyPosture.GRANT_EXTERNAL + " " + k.shared);
            // Every customer managed key here keeps the default statement (kms:* to the account root).
            assertThat(informational).containsExactlyInAnyOrderElementsOf(
                    List.of(k.rotationOff, k.pending, k.open, k.shared, k.imported, k.primary, k.replica).stream()
                            .map(a -> KeyPosture.IAM_DECIDES + " " + a).toList());
            assertThat(StreamSupport.stream(out.get("findings").spliterator(), false)
                    .filter(f -> f.get("id").asText().equals(KeyPosture.PUBLIC)).findFirst().orElseThrow()
                    .get("control").asText()).isEqualTo("KMS.5");

            pipelineFollowsEvents(kafka, emulator, east, work, config, k, rows);
        } finally {
            DirectoryCleaner.delete(work);
        }
    }

    /**
     * The running pipeline, seeded from the snapshot before it saw any event: every key in its inventory
     * gauges, the four posture findings alerted once; then rotation enabled on one key and a deletion
     * cancelled on another through the API, and the gauges and alerts follow from the events alone.
     */
    private void pipelineFollowsEvents(EmbeddedKafkaBroker kafka, KmsEmulator emulator, KmsClient east, Path work,
                                       Path configFile, Keys k, Map<String, JsonNode> rows) {
        String prefix = "inv-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        KmswatchConfig file = ConfigFiles.load(configFile, KmswatchConfig.class);
        KmswatchConfig config = new KmswatchConfig(work, new KmswatchConfig.Kafka(kafka.bootstrapServers(), null, prefix,
                2, null, null), file.sources(), DetectionsConfig.defaultConfig(), AlertsConfig.defaultConfig(),
                new KmswatchConfig.Streams("at_least_once", null, 1), new KmswatchConfig.Metrics(-1, null),
                InventoryConfig.defaults().withEnabled(true));
        Topics topics = Topics.withPrefix(prefix);
        long withoutRotation = rows.values().stream().filter(r -> r.get("rotationEnabled").isBoolean()
                && !r.get("rotationEnabled").asBoolean()).count();
        try (MetricsEndpoint metrics = MetricsEndpoint.start("127.0.0.1", -1);
             Pipeline pipeline = Pipeline.on(config, metrics, kafka.bootstrapServers());
             KafkaConsumer<String, Alert> alerts = consumer(kafka, topics)) {
            pipeline.startDetect("inv-detect-" + prefix);
            pipeline.startAlerts("inv-alerts-" + prefix, AlertsConfig.defaultConfig());
            pipeline.startInventory();
            var registry = metrics.registry();

            await("every key in the inventory gauges", () -> gauge(registry, "kmswatch.streams.keys", "state", "Enabled") == 7
                    && gauge(registry, "kmswatch.streams.keys", "state", "PendingDeletion") == 1);
            assertThat(gauge(registry, "kmswatch.streams.keys.pending.deletion")).isEqualTo(1);
            assertThat(gauge(registry, "kmswatch.streams.keys.without.rotation")).isEqualTo(withoutRotation);
            List<Alert> seen = new ArrayList<>();
            await("the four posture alerts", () -> poll(alerts, seen).stream().filter(a -> a.status() == AlertStatus.FIRING).count() >= 4);

            emulator.addListener(pipeline.emulatorFeed());
            east.enableKeyRotation(r -> r.keyId(k.rotationOff));
            east.cancelKeyDeletion(r -> r.keyId(k.pending));

            await("both resolved", () -> poll(alerts, seen).stream().filter(a -> a.status() == AlertStatus.RESOLVED).count() >= 2);
            await("the gauges follow", () -> gauge(registry, "kmswatch.streams.keys", "state", "PendingDeletion") == 0
                    && gauge(registry, "kmswatch.streams.keys", "state", "Disabled") == 1);
            assertThat(gauge(registry, "kmswatch.streams.keys.pending.deletion")).isZero();
            assertThat(gauge(registry, "kmswatch.streams.keys.without.rotation")).isEqualTo(withoutRotation - 1);

            List<Alert> posture = seen.stream().filter(a -> a.detection().startsWith("posture-")).toList();
            assertThat(posture).filteredOn(a -> a.status() == AlertStatus.FIRING)
                    .extracting(a -> a.detection() + " " + a.keyArn()).containsExactlyInAnyOrder(
                            KeyPosture.ROTATION_DISABLED + " " + k.rotationOff,
                            KeyPosture.PENDING_DELETION + " " + k.pending,
                            KeyPosture.PUBLIC + " " + k.open,
                            KeyPosture.GRANT_EXTERNAL + " " + k.shared);
            assertThat(posture).filteredOn(a -> a.status() == AlertStatus.RESOLVED)
                    .extracting(a -> a.detection() + " " + a.keyArn()).containsExactlyInAnyOrder(
                            KeyPosture.ROTATION_DISABLED + " " + k.rotationOff,
                            KeyPosture.PENDING_DELETION + " " + k.pending);
        }
    }

    /**
     * Many keys inventoried without a request above KMS's quotas: the most requests of each operation
     * sent within any one second stay under the documented quota. {@code -Dkmswatch.inventory.keys=10000}
     * is the benchmark run reported in BENCHMARKS.md.
     */
    @Test
    void shouldInventoryManyKeysWithinTheRequestQuotas() {
        int n = Integer.getInteger("kmswatch.inventory.keys", 300);
        try (KmsEmulator emulator = KmsEmulator.start(EmulatorConfig.defaults().withPort(0));
             KmsClient east = kms(emulator, EAST)) {
            for (int i = 0; i < n; i++) {
                east.createKey(r -> r.description("bulk"));
            }
            LookupConfig targets = new LookupConfig(List.of(new LookupAccountConfig(ACCOUNT, null, null, null, null)),
                    List.of(EAST), null, emulator.endpoint().toString(), null, null, null, null, null, null);
            InventoryResult result = new KmsInventory(targets, InventoryConfig.defaults(), Clock.systemUTC(), ADMIN).read(false);
            System.out.printf("inventory of %d keys: %s, requests %s, peak per second %s%n", n, result.took(),
                    result.requests(), result.peakPerSecond());
            assertThat(result.failures()).isEmpty();
            assertThat(result.keys()).hasSize(n).allSatisfy(s -> assertThat(s.errors()).isEmpty());
            assertThat(result.requests()).containsEntry("DescribeKey", (long) n).containsEntry("ListGrants", (long) n);
            result.peakPerSecond().forEach((op, peak) ->
                    assertThat((double) peak).as(op).isLessThan(KmsRequestQuotas.of(op)));
        }
    }

    private static void assertRow(JsonNode row, String manager, String state, String origin, Boolean rotation,
                                  String multiRegion) {
        String arn = row.get("keyArn").asText();
        assertThat(row.get("keyManager").asText()).as(arn).isEqualTo(manager);
        assertThat(row.get("keyState").asText()).as(arn).isEqualTo(state);
        assertThat(row.get("origin").asText()).as(arn).isEqualTo(origin);
        assertThat(row.get("keySpec").asText()).as(arn).isEqualTo("SYMMETRIC_DEFAULT");
        assertThat(row.get("keyUsage").asText()).as(arn).isEqualTo("ENCRYPT_DECRYPT");
        if (rotation != null) {
            assertThat(row.get("rotationEnabled").asBoolean()).as(arn).isEqualTo(rotation);
        }
        assertThat(row.get("multiRegion").isNull() ? null : row.get("multiRegion").asText()).as(arn).isEqualTo(multiRegion);
    }

    private static Keys createKeys(KmsEmulator emulator, KmsClient east, KmsClient west) throws Exception {
        String rotationOff = east.createKey(r -> r.tags(t -> t.tagKey("team").tagValue("payments"))).keyMetadata().arn();
        east.createAlias(r -> r.aliasName("alias/rotation-off").targetKeyId(rotationOff));

        String pending = east.createKey().keyMetadata().arn();
        east.scheduleKeyDeletion(r -> r.keyId(pending).pendingWindowInDays(7));

        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Sid\":\"Enable IAM User Permissions\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
                + ACCOUNT + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"},"
                + "{\"Sid\":\"Anyone may decrypt\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\","
                + "\"Resource\":\"*\"}]}";
        String open = east.createKey(r -> r.policy(policy)).keyMetadata().arn();
        east.enableKeyRotation(r -> r.keyId(open));

        String shared = east.createKey().keyMetadata().arn();
        east.enableKeyRotation(r -> r.keyId(shared));
        String grantId = east.createGrant(r -> r.keyId(shared).granteePrincipal("arn:aws:iam::" + PARTNER + ":role/partner-app")
                .operations(GrantOperation.DECRYPT)).grantId();

        String imported = east.createKey(r -> r.origin(OriginType.EXTERNAL)).keyMetadata().arn();
        GetParametersForImportResponse p = east.getParametersForImport(r -> r.keyId(imported)
                .wrappingAlgorithm(AlgorithmSpec.RSAES_OAEP_SHA_256).wrappingKeySpec(WrappingKeySpec.RSA_2048));
        byte[] material = new byte[32];
        new SecureRandom().nextBytes(material);
        Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
        oaep.init(Cipher.ENCRYPT_MODE, KeyFactory.getInstance("RSA").generatePublic(
                new X509EncodedKeySpec(p.publicKey().asByteArray())),
                new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
        byte[] wrapped = oaep.doFinal(material);
        east.importKeyMaterial(r -> r.keyId(imported).importToken(p.importToken())
                .encryptedKeyMaterial(SdkBytes.fromByteArray(wrapped))
                .expirationModel(ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE));

        String primary = east.createKey(r -> r.multiRegion(true)).keyMetadata().arn();
        east.enableKeyRotation(r -> r.keyId(primary));
        String replica = east.replicateKey(r -> r.keyId(primary).replicaRegion(WEST)).replicaKeyMetadata().arn();
        assertThat(west.describeKey(r -> r.keyId(replica)).keyMetadata().keyStateAsString()).isEqualTo("Enabled");

        String awsManaged = emulator.createAwsManagedKey(ACCOUNT, EAST, "s3");
        return new Keys(rotationOff, pending, open, shared, imported, primary, replica, awsManaged, grantId);
    }

    private static JsonNode inventoryJson(Path config) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Kmswatch());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("inventory", "--config", config.toString(), "--json");
        assertThat(code).as(err.toString()).isZero();
        return Json.MAPPER.readTree(out.toString());
    }

    private static KmsClient kms(KmsEmulator emulator, String region) {
        return KmsClient.builder().endpointOverride(emulator.endpoint()).region(Region.of(region)).credentialsProvider(ADMIN)
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static KafkaConsumer<String, Alert> consumer(EmbeddedKafkaBroker kafka, Topics topics) {
        KafkaConsumer<String, Alert> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "inventory-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), topics.kmsAlerts().keySerde().deserializer(),
                topics.kmsAlerts().valueSerde().deserializer());
        c.subscribe(List.of(topics.kmsAlerts().name()));
        return c;
    }

    private static List<Alert> poll(KafkaConsumer<String, Alert> consumer, List<Alert> seen) {
        for (ConsumerRecord<String, Alert> r : consumer.poll(Duration.ofMillis(200))) {
            seen.add(r.value());
        }
        return seen;
    }

    private static double gauge(io.micrometer.core.instrument.MeterRegistry registry, String name, String... tags) {
        var g = registry.find(name).tags(tags).gauge();
        return g == null ? Double.NaN : g.value();
    }

    private static void await(String what, BooleanSupplier condition) {
        Awaitility.await(what).atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(condition::getAsBoolean);
    }
}
