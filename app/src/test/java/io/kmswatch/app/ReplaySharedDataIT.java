package io.kmswatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.Alert;
import io.kmswatch.events.Json;
import io.kmswatch.events.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kmswatch replay} on the public datasets beside the checkout (the shared-data profile). */
class ReplaySharedDataIT {
    @TempDir
    Path dir;

    private static Path shared(String relative) {
        Path p = Path.of(System.getProperty("kmswatch.shared.dir", "../../shared")).resolve(relative).toAbsolutePath().normalize();
        assertThat(p).as("shared data (-Dkmswatch.shared.dir)").exists();
        return p;
    }

    private List<Alert> replay(Path input, String name) throws Exception {
        Path out = dir.resolve(name + ".jsonl");
        assertThat(Kmswatch.execute("replay", "--quiet", input.toString(), "--alerts-out", out.toString(),
                "--report", dir.resolve(name + ".html").toString())).isZero();
        List<Alert> alerts = new ArrayList<>();
        for (String line : Files.readAllLines(out)) {
            alerts.add(Json.MAPPER.readValue(line, Alert.class));
        }
        return alerts;
    }

    @Test
    void invictusAttackSimulationRaisesNothingHighAboutKms() throws Exception {
        List<Alert> alerts = replay(shared("datasets/invictus-ir__aws_dataset/CloudTrail"), "invictus");
        assertThat(alerts).noneMatch(a -> a.severity().atLeast(Severity.HIGH));
    }

    /**
     * The documentation examples span 2014–2022 out of order and reuse eventIDs: records more than the
     * dedup retention (48 h) behind stream time are dropped as too late to deduplicate, and records
     * that repeat another's eventID are dropped as duplicates (DisableKey shares its id with a Decrypt).
     * What survives in file order must still alert.
     */
    @Test
    void kmsDocumentationExamplesRaiseTheLifecycleAlertsThatSurviveDedup() throws Exception {
        List<Alert> alerts = replay(shared("datasets/awsdocs__aws-kms-developer-guide/kms-cloudtrail-doc-examples.json"), "docs");
        assertThat(alerts).extracting(Alert::detection).contains("key-deletion-scheduled", "custom-key-store-changed");
        assertThat(alerts).allSatisfy(a -> assertThat(a.keyArn() == null || a.keyArn().startsWith("arn:aws:kms:")).isTrue());
    }

    @Test
    void unreadableInputExitsWithOne() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.json"), "this is not CloudTrail");
        assertThat(Kmswatch.execute("replay", "--quiet", garbage.toString())).isEqualTo(1);
        assertThat(Kmswatch.execute("replay", "--quiet", shared("datasets/zmallen__cloudtrail2sightings/cloudtrail.zip").toString()))
                .isZero();
    }
}
