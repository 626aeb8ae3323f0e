package io.kmswatch.streams.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class BoundedRocksDbMemoryTest {
    @TempDir
    Path dir;

    @Test
    void storesOpenWithTheSharedBoundsAndKeepWhatIsWrittenAcrossMemtableFlushes() throws Exception {
        BoundedRocksDbMemory setter = new BoundedRocksDbMemory();
        try (Options a = new Options().setCreateIfMissing(true); Options b = new Options().setCreateIfMissing(true)) {
            a.setTableFormatConfig(new BlockBasedTableConfig());
            b.setTableFormatConfig(new BlockBasedTableConfig());
            setter.setConfig("a", a, Map.of());
            setter.setConfig("b", b, Map.of());
            assertThat(a.writeBufferSize()).isEqualTo(BoundedRocksDbMemory.WRITE_BUFFER_BYTES);
            assertThat(a.maxWriteBufferNumber()).isEqualTo(3);
            assertThat(a.arenaBlockSize()).isEqualTo(BoundedRocksDbMemory.ARENA_BLOCK_BYTES);
            assertThat(((BlockBasedTableConfig) a.tableFormatConfig()).cacheIndexAndFilterBlocks()).isTrue();

            // two instances, as a task's segments are, writing more than the memtable budget between them
            try (RocksDB one = RocksDB.open(a, dir.resolve("a").toString());
                 RocksDB two = RocksDB.open(b, dir.resolve("b").toString())) {
                byte[] value = new byte[1024];
                for (int i = 0; i < 40_000; i++) {
                    byte[] key = ("event-" + i).getBytes(StandardCharsets.UTF_8);
                    (i % 2 == 0 ? one : two).put(key, value);
                }
                for (int i = 0; i < 40_000; i += 997) {
                    byte[] key = ("event-" + i).getBytes(StandardCharsets.UTF_8);
                    assertThat((i % 2 == 0 ? one : two).get(key)).hasSize(1024);
                }
                // 40 MB written, 16 MB of memtables allowed in all: the rest was flushed to files
                long inMemtables = Long.parseLong(one.getProperty("rocksdb.cur-size-all-mem-tables"))
                        + Long.parseLong(two.getProperty("rocksdb.cur-size-all-mem-tables"));
                long inFiles = Long.parseLong(one.getProperty("rocksdb.total-sst-files-size"))
                        + Long.parseLong(two.getProperty("rocksdb.total-sst-files-size"));
                assertThat(inMemtables).isLessThanOrEqualTo(BoundedRocksDbMemory.MEMTABLE_BYTES + 2 * BoundedRocksDbMemory.WRITE_BUFFER_BYTES);
                assertThat(inFiles).isPositive();
            }
            setter.close("a", a);
            setter.close("b", b);
        }
    }

    @Test
    void manyStoresWithLittleInThemStayInTheirMemtablesInsteadOfFlushingOnEveryWrite(@TempDir Path dir) throws Exception {
        // A detect process opens dozens of instances (a dozen stores per task, window stores in segments). Each
        // memtable reserves an arena block from the shared budget; at 1 MiB a block (the default for an 8 MiB
        // write buffer) 40 instances alone exceeded the 16 MiB budget and every write flushed a memtable.
        BoundedRocksDbMemory setter = new BoundedRocksDbMemory();
        int n = 40;
        java.util.List<Options> options = new java.util.ArrayList<>();
        java.util.List<RocksDB> dbs = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Options o = new Options().setCreateIfMissing(true);
                o.setTableFormatConfig(new BlockBasedTableConfig());
                setter.setConfig("s" + i, o, Map.of());
                options.add(o);
                dbs.add(RocksDB.open(o, dir.resolve("s" + i).toString()));
            }
            byte[] value = new byte[200];
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < n; i++) {
                    dbs.get(i).put(("key-" + round).getBytes(StandardCharsets.UTF_8), value);
                }
            }
            long inFiles = 0;
            for (RocksDB db : dbs) {
                inFiles += Long.parseLong(db.getProperty("rocksdb.total-sst-files-size"));
                assertThat(db.get("key-19".getBytes(StandardCharsets.UTF_8))).hasSize(200);
            }
            assertThat(inFiles).as("bytes flushed to files while 160 KB were written to 40 stores").isZero();
        } finally {
            dbs.forEach(RocksDB::close);
            for (int i = 0; i < options.size(); i++) {
                setter.close("s" + i, options.get(i));
                options.get(i).close();
            }
        }
    }
}
