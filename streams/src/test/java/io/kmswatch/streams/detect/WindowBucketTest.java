package io.kmswatch.streams.detect;

import io.kmswatch.events.Detection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WindowBucketTest {
    private final WindowBucket.BinarySerde serde = new WindowBucket.BinarySerde();

    @Property
    void shouldCountEveryEventAndKeepTheFirstIdsAsEvidenceThroughTheSerde(
            @ForAll @Size(max = 40) List<String> ids, @ForAll long seed) {
        WindowBucket b = WindowBucket.empty();
        long ts = 1_000;
        for (String id : ids) {
            b = b.plus(ts++, id);
            b = roundTrip(b);
        }

        assertThat(b.count()).isEqualTo(ids.size());
        assertThat(b.evidence()).isEqualTo(ids.subList(0, Math.min(ids.size(), Detection.MAX_EVIDENCE)));
        assertThat(roundTrip(b)).isEqualTo(b).hasSameHashCodeAs(b);
    }

    @Test
    void shouldKeepTierAndSpanAndSkipMissingIds() {
        WindowBucket b = WindowBucket.empty().plus(5_000, "e-1").plus(2_000, null).plus(9_000, "e-ü").firedAt(2);

        WindowBucket back = roundTrip(b);

        assertThat(back.count()).isEqualTo(3);
        assertThat(back.tier()).isEqualTo(2);
        assertThat(back.firstMs()).isEqualTo(2_000);
        assertThat(back.lastMs()).isEqualTo(9_000);
        assertThat(back.evidence()).containsExactly("e-1", "e-ü");
        assertThat(back).isEqualTo(new WindowBucket(3, 2, 2_000, 9_000, List.of("e-1", "e-ü")));
    }

    @Test
    void shouldWriteTheDocumentedLayout() {
        byte[] bytes = serde.serializer().serialize("t", new WindowBucket(7, 1, 10, 20, List.of("ab")));

        ByteBuffer in = ByteBuffer.wrap(bytes);
        assertThat(in.getLong()).isEqualTo(7);
        assertThat(in.getInt()).isEqualTo(1);
        assertThat(in.getLong()).isEqualTo(10);
        assertThat(in.getLong()).isEqualTo(20);
        assertThat(in.getInt()).isEqualTo(1);
        assertThat(in.getInt()).isEqualTo(2);
        byte[] id = new byte[2];
        in.get(id);
        assertThat(new String(id, StandardCharsets.UTF_8)).isEqualTo("ab");
        assertThat(in.hasRemaining()).isFalse();
    }

    @Test
    void shouldRefuseATruncatedValue() {
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[10]))
                .isInstanceOf(SerializationException.class).hasMessageContaining("too short");
    }

    @Test
    void shouldShareTheEvidenceOnceFull() {
        List<String> ids = new ArrayList<>();
        WindowBucket b = WindowBucket.empty();
        for (int i = 0; i < Detection.MAX_EVIDENCE + 5; i++) {
            ids.add("id-" + i);
            b = b.plus(i, "id-" + i);
        }
        assertThat(b.evidence()).hasSize(Detection.MAX_EVIDENCE).isEqualTo(ids.subList(0, Detection.MAX_EVIDENCE));
        assertThat(b.count()).isEqualTo(Detection.MAX_EVIDENCE + 5);
    }

    private WindowBucket roundTrip(WindowBucket b) {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", b));
    }
}
