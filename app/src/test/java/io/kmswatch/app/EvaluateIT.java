package io.kmswatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmswatch.events.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kmswatch evaluate --seed 1 --json}, run as a user runs it (the built jar in its own JVM): every
 * incident scenario of the traffic generator is found by each detection it expects (recall 1.0, nothing
 * missed) and none of the look-alikes fires anything.
 */
@Tag("system")
class EvaluateIT {
    private static final Path JAR = Path.of(System.getProperty("kmswatch.jar", "target/kmswatch.jar")).toAbsolutePath();

    @Test
    void shouldFindEveryIncidentOfSeedOneAndFireOnNoLookAlike(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("evaluate.json");
        Path err = dir.resolve("evaluate.err");
        Process evaluate = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m",
                "-Djava.io.tmpdir=" + dir, "-jar", JAR.toString(), "evaluate", "--seed", "1", "--json")
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        boolean ended = evaluate.waitFor(12, TimeUnit.MINUTES);
        if (!ended) {
            evaluate.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        List<String> errLines = Files.readAllLines(err);
        String tail = String.join("\n", errLines.subList(Math.max(0, errLines.size() - 30), errLines.size()));
        assertThat(ended).as("evaluate ends by itself; stderr ends with:%n%s", tail).isTrue();
        assertThat(evaluate.exitValue()).as("exit code; stderr ends with:%n%s", tail).isZero();

        JsonNode result = Json.MAPPER.readTree(Files.readString(out));
        assertThat(result.path("incidents").asInt()).as("incident scenarios run").isEqualTo(14);
        assertThat(result.path("lookAlikes").asInt()).as("look-alikes run").isEqualTo(4);
        assertThat(result.path("missed")).as("incidents no expected detection found").isEmpty();
        assertThat(result.path("lookAlikeHits")).as("findings on look-alikes").isEmpty();

        List<String> expectedSomewhere = new ArrayList<>();
        for (Map.Entry<String, JsonNode> d : result.path("detections").properties()) {
            JsonNode score = d.getValue();
            assertThat(score.path("falseNegatives").asInt()).as("false negatives of " + d.getKey()).isZero();
            if (score.path("truePositives").asInt() > 0) {
                expectedSomewhere.add(d.getKey());
                assertThat(score.path("recall").asDouble()).as("recall of " + d.getKey()).isEqualTo(1.0);
            }
        }
        assertThat(expectedSomewhere).as("detections some incident expected and found")
                .contains("key-disabled", "key-deletion-scheduled", "decrypt-spike", "key-policy-opened",
                        "grant-to-external-principal", "cross-account-key-use", "access-denied-burst");
    }
}
