package io.kmswatch.emulator.state;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class KeyIdsTest {
    private static final String UUID_V4 = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

    @Test
    void shouldDrawTheSameIdsFromTheSameSeedAndOthersFromAnother() {
        assertThat(draw(KeyIds.seeded(7L), 20)).isEqualTo(draw(KeyIds.seeded(7L), 20))
                .doesNotContainAnyElementsOf(draw(KeyIds.seeded(8L), 20));
    }

    @Test
    void shouldDrawDistinctRandomIdsInTheShapesKmsUses() {
        KeyIds ids = KeyIds.random();
        List<String> single = draw(ids, 200);
        assertThat(single).doesNotHaveDuplicates().allMatch(id -> id.matches(UUID_V4));
        assertThat(ids.next(true, id -> false)).matches("mrk-[0-9a-f]{32}");
        assertThat(draw(KeyIds.seeded(1L), 50)).allMatch(id -> id.matches(UUID_V4));
    }

    @Test
    void shouldSkipIdsAlreadyTaken() {
        List<String> first = draw(KeyIds.seeded(3L), 3);
        Set<String> taken = new HashSet<>(first.subList(0, 2));

        String next = KeyIds.seeded(3L).next(false, taken::contains);

        assertThat(next).isEqualTo(first.get(2));
    }

    private static List<String> draw(KeyIds ids, int n) {
        List<String> out = new ArrayList<>();
        IntStream.range(0, n).forEach(i -> out.add(ids.next(false, id -> false)));
        return out;
    }
}
