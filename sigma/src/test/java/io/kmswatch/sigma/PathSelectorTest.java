package io.kmswatch.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmswatch.events.MalformedEventException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PathSelectorTest {
    private static JsonNode select(String json, String... paths) {
        return new PathSelector(List.of(paths)).select(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldKeepOnlyWhatThePathsReach() {
        JsonNode t = select("{\"eventName\":\"Decrypt\",\"requestParameters\":{\"keyId\":\"k\",\"big\":[1,2,{\"x\":\"y\"}]},"
                + "\"responseElements\":{\"huge\":\"...\"},\"userIdentity\":{\"type\":\"Root\",\"arn\":\"a\"}}",
                "eventName", "requestParameters.keyId", "userIdentity");

        assertThat(t.toString()).isEqualTo("{\"eventName\":\"Decrypt\",\"requestParameters\":{\"keyId\":\"k\"},"
                + "\"userIdentity\":{\"type\":\"Root\",\"arn\":\"a\"}}");
    }

    @Test
    void shouldCrossArraysAndKeepDottedKeysWhole() {
        JsonNode t = select("{\"resources\":[{\"ARN\":\"x\",\"type\":\"t\"},{\"ARN\":\"y\"},\"s\"],"
                + "\"a.b\":{\"c\":1},\"a\":{\"z\":2}}", "resources.ARN", "a.b");

        assertThat(new FieldPath("resources.ARN").values(t).toString()).isEqualTo("[\"x\", \"y\"]");
        assertThat(new FieldPath("a.b").values(t).toString()).isEqualTo("[{\"c\":1}]");
        assertThat(t.path("resources").get(0).has("type")).isFalse();
    }

    @Test
    void shouldKeepTheLastOfRepeatedKeysAsReadTreeDoes() {
        JsonNode t = select("{\"a\":{\"b\":\"first\"},\"a\":\"scalar\"}", "a.b");

        assertThat(new FieldPath("a.b").exists(t)).isFalse();
    }

    @Test
    void shouldRefuseWhatIsNotAnObject() {
        assertThatThrownBy(() -> select("[1]", "a")).isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> select("{\"a\":", "a")).isInstanceOf(MalformedEventException.class);
    }
}
