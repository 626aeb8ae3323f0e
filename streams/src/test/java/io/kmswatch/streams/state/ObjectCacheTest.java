package io.kmswatch.streams.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ObjectCacheTest {
    /** The store beneath: what the writer was given, key by key (a removed key is a delete). */
    private final Map<String, Integer> beneath = new HashMap<>();
    private final List<String> writes = new ArrayList<>();

    private ObjectCache<String, Integer> cache(int capacity) {
        return new ObjectCache<>(capacity, (k, v) -> {
            writes.add(k + "=" + v);
            if (v == null) {
                beneath.remove(k);
            } else {
                beneath.put(k, v);
            }
        });
    }

    @Test
    void shouldWriteOnlyTheLastValueOfAKeyWhenWritingDown() {
        ObjectCache<String, Integer> c = cache(10);
        c.putDirty("a", 1);
        c.putDirty("a", 2);
        c.putDirty("b", 3);
        assertThat(writes).isEmpty();
        assertThat(c.dirtyCount()).isEqualTo(2);

        c.writeDirty();

        assertThat(writes).containsExactlyInAnyOrder("a=2", "b=3");
        assertThat(c.dirtyCount()).isZero();
        assertThat(c.get("a").value()).isEqualTo(2); // still cached, clean
        c.writeDirty();
        assertThat(writes).hasSize(2); // nothing dirty: nothing written again
    }

    @Test
    void shouldWriteADirtyValueWhenItIsEvictedAndForgetACleanOneSilently() {
        ObjectCache<String, Integer> c = cache(2);
        c.putClean("clean", 0);
        c.putDirty("a", 1);
        c.putDirty("b", 2); // evicts "clean": nothing to write
        assertThat(writes).isEmpty();
        c.putDirty("c", 3); // evicts "a", dirty: written now
        assertThat(writes).containsExactly("a=1");
        assertThat(c.get("a")).isNull();
        assertThat(c.dirtyCount()).isEqualTo(2);
    }

    @Test
    void shouldWriteADeleteAsNullAndRememberAbsence() {
        ObjectCache<String, Integer> c = cache(10);
        beneath.put("k", 7);
        c.putDirty("k", null);
        assertThat(c.get("k").value()).isNull();
        c.writeDirty();
        assertThat(beneath).doesNotContainKey("k");

        c.putClean("never", null);
        assertThat(c.get("never")).isNotNull();
        assertThat(c.get("never").value()).isNull();
    }

    @Test
    void shouldNotLetAStaleReadReplaceAnUnwrittenValue() {
        ObjectCache<String, Integer> c = cache(10);
        c.putDirty("k", 2);
        c.putClean("k", 1);
        assertThat(c.get("k")).isEqualTo(new ObjectCache.Entry<>(2, true));
    }

    @Test
    void shouldDropDirtyValuesOnClear() {
        ObjectCache<String, Integer> c = cache(10);
        c.putDirty("k", 1);
        c.clear();
        c.writeDirty();
        assertThat(writes).isEmpty();
        assertThat(c.size()).isZero();
    }

    @Test
    void shouldRefuseAZeroCapacity() {
        assertThatThrownBy(() -> cache(0)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Whatever the sequence of reads, writes, deletes and evictions, the store beneath equals a plain map
     * that took every write at once, each time the dirty values are written down; and a read through the
     * cache (falling back to the store beneath on a miss, as the stores do) always sees the latest write.
     */
    @Property(tries = 300)
    void shouldLeaveTheStoreBeneathExactAfterEveryWriteDown(@ForAll("ops") List<int[]> ops,
                                                            @ForAll @IntRange(min = 1, max = 6) int capacity) {
        beneath.clear();
        ObjectCache<String, Integer> c = cache(capacity);
        Map<String, Integer> truth = new HashMap<>();
        for (int[] op : ops) {
            String key = "k" + op[1];
            switch (op[0]) {
                case 0 -> {
                    c.putDirty(key, op[2]);
                    truth.put(key, op[2]);
                }
                case 1 -> {
                    c.putDirty(key, null);
                    truth.remove(key);
                }
                case 2 -> {
                    ObjectCache.Entry<Integer> e = c.get(key);
                    Integer read = e != null ? e.value() : beneath.get(key);
                    if (e == null) {
                        c.putClean(key, read);
                    }
                    assertThat(read).isEqualTo(truth.get(key));
                }
                default -> {
                    c.writeDirty();
                    assertThat(beneath).isEqualTo(truth);
                }
            }
        }
        c.writeDirty();
        assertThat(beneath).isEqualTo(truth);
    }

    @Provide
    Arbitrary<List<int[]>> ops() {
        Arbitrary<int[]> op = Arbitraries.integers().between(0, 3).flatMap(kind ->
                Arbitraries.integers().between(0, 9).flatMap(key ->
                        Arbitraries.integers().between(0, 1000).map(v -> new int[] {kind, key, v})));
        return op.list().ofMaxSize(60);
    }
}
