package io.kmswatch.streams.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.CloudTrailFixtures;
import io.kmswatch.events.Detection;
import io.kmswatch.events.Json;
import io.kmswatch.events.MalformedEventException;
import io.kmswatch.streams.DetectionsConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every public test vector in {@code shared/vectors} (third-party data beside the repository, never
 * copied into it), fed alone into a fresh topology with every detection on: the vector's category
 * must fire when {@code expect_alert} is true and must not otherwise. Runs in the {@code shared-data}
 * Maven profile; the directory comes from the {@code kmswatch.shared.dir} system property.
 */
class VectorsSharedDataTest {
    /** The vectors README's category ids → our detection ids. */
    static final Map<String, List<String>> CATEGORIES = Map.ofEntries(
            Map.entry("key_disabled", List.of("key-disabled")),
            Map.entry("key_deletion_scheduled", List.of("key-deletion-scheduled")),
            Map.entry("key_disabled_or_deletion_scheduled", List.of("key-disabled", "key-deletion-scheduled")),
            Map.entry("key_rotation_disabled", List.of("key-rotation-disabled")),
            Map.entry("imported_key_material_deleted", List.of("key-material-deleted")),
            Map.entry("key_material_imported", List.of("key-material-imported")),
            Map.entry("key_policy_public_or_external", List.of("key-policy-opened")),
            Map.entry("grant_to_external_principal", List.of("grant-to-external-principal")),
            Map.entry("cross_account_key_use", List.of("cross-account-key-use")),
            Map.entry("decrypt_volume_spike", List.of("decrypt-spike")),
            Map.entry("access_denied_burst", List.of("access-denied-burst")),
            Map.entry("new_principal_or_ip", List.of("new-principal-on-key", "new-source-ip")),
            Map.entry("external_key_encryption_ransomware", List.of("external-key-encryption")),
            Map.entry("custom_key_store_change", List.of("custom-key-store-changed")),
            // "no stateless KMS detection should fire": nothing may fire at all.
            Map.entry("none", DetectionsConfig.DETECTION_IDS));

    static Path sharedDir() {
        return Path.of(System.getProperty("kmswatch.shared.dir", "../../shared"));
    }

    static Stream<Path> vectors() throws IOException {
        Path dir = sharedDir().resolve("vectors");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        return files.stream();
    }

    @Test
    void shouldFindEveryVector() throws IOException {
        assertThat(vectors().count()).as("vectors under " + sharedDir().toAbsolutePath()).isGreaterThanOrEqualTo(74);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void shouldFireExactlyAsTheVectorExpects(Path file) throws IOException {
        JsonNode vector = Json.MAPPER.readTree(file.toFile());
        String category = vector.path("expected_detection").asText();
        boolean expectAlert = vector.path("expect_alert").asBoolean();
        assertThat(CATEGORIES).as("category mapping").containsKey(category);
        byte[] raw = Json.MAPPER.writeValueAsBytes(vector.get("event"));

        List<String> fired;
        try (Harness h = new Harness(DetectionsConfig.defaultConfig())) {
            String key = "unknown";
            Instant at = CloudTrailFixtures.T0;
            try {
                CloudTrailEvent e = CloudTrailEvent.parse(raw);
                key = e.partitionKey();
                at = e.eventTime();
            } catch (MalformedEventException unreadable) {
                // fed as is: the topology must reject it, not stop
            }
            h.pipeRaw(key, raw, at);
            fired = h.detections().stream().filter(d -> !d.resolves()).map(Detection::detection).toList();
        }
        List<String> expected = CATEGORIES.get(category);
        String why = file.getFileName() + " (" + vector.path("case_name").asText() + "): fired " + fired + "; "
                + new String(raw, StandardCharsets.UTF_8).substring(0, Math.min(300, raw.length));
        if (expectAlert) {
            assertThat(fired).as(why).containsAnyElementsOf(expected);
        } else {
            assertThat(fired).as(why).doesNotContainAnyElementsOf(expected);
        }
    }
}
