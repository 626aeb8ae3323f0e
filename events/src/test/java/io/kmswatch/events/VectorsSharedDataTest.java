package io.kmswatch.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file under {@code shared/vectors} parses, and the derived key ARN, accounts, cross-account and
 * service-caller facts match the table in {@code shared-vectors-expectations.psv}.
 */
class VectorsSharedDataTest {

    static Stream<Arguments> expectations() throws IOException {
        List<Arguments> rows = new ArrayList<>();
        try (InputStream in = VectorsSharedDataTest.class.getResourceAsStream("/shared-vectors-expectations.psv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\\|");
                for (int i = 0; i < f.length; i++) {
                    f[i] = f[i].trim();
                }
                rows.add(Arguments.of((Object) f));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expectations")
    void derivedFactsMatchWhatTheRecordSays(String[] row) throws IOException {
        Path file = SharedData.path("vectors/" + row[0] + ".json");
        JsonNode wrapper = Json.MAPPER.readTree(file.toFile());
        byte[] record = Json.MAPPER.writeValueAsBytes(wrapper.get("event"));

        if (row[1].startsWith("REJECT:")) {
            assertThatThrownBy(() -> CloudTrailEvent.parse(record)).isInstanceOf(MalformedEventException.class)
                    .hasMessage(row[1].substring("REJECT:".length()).trim());
            return;
        }
        CloudTrailEvent e = CloudTrailEvent.parse(record);
        assertThat(nz(e.keyArn())).as("keyArn").isEqualTo(row[1]);
        assertThat(nz(e.keyAccountId())).as("keyAccount").isEqualTo(row[2]);
        assertThat(nz(e.callerAccountId())).as("callerAccount").isEqualTo(row[3]);
        assertThat(e.isCrossAccount()).as("crossAccount").isEqualTo(Boolean.parseBoolean(row[4]));
        assertThat(e.isServiceCaller()).as("serviceCaller").isEqualTo(Boolean.parseBoolean(row[5]));
    }

    @Test
    void everyVectorFileIsInTheTable() throws IOException {
        List<String> inTable = expectations().map(a -> ((String[]) a.get()[0])[0]).toList();
        try (Stream<Path> files = Files.list(SharedData.path("vectors"))) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - 5)).toList();
            assertThat(names).hasSize(74).containsExactlyInAnyOrderElementsOf(inTable);
        }
    }

    private static String nz(String s) {
        return s == null ? "-" : s;
    }
}
