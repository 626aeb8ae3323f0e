package io.kmswatch.streams.state;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the native memory of every RocksDB store in the process (every detect store: about a dozen RocksDB
 * instances per task, window stores one per time segment) to {@link #TOTAL_BYTES}, as Kafka Streams' memory-management
 * guide describes: one block cache shared by all instances, with index and filter blocks in it, and the
 * memtables charged to the same cache through one write-buffer manager.
 *
 * <p>Left to their defaults each instance would get its own 50 MB block cache and up to three 16 MB
 * memtables: a process holding 48 hours of eventIDs over many partitions grows by about 100 MB per instance,
 * outside the heap limit an operator sets. With this setter the total stays under the bound and RocksDB
 * flushes memtables and evicts blocks to keep it.
 *
 * <p>Memtables allocate {@link #ARENA_BLOCK_BYTES} at a time. RocksDB's default block is an eighth of the write
 * buffer (1 MiB here), and each instance's memtable holds at least one: with ~50 instances the nearly empty ones
 * alone were over {@link #MEMTABLE_BYTES}, so the write-buffer manager made every write switch and flush a
 * memtable and the stream threads waited in {@code RocksDB.put}.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {
    /** Block cache, index and filter blocks and memtables of all RocksDB stores of the process together. */
    public static final long TOTAL_BYTES = 64L * 1024 * 1024;
    /** The part of {@link #TOTAL_BYTES} memtables may take. */
    public static final long MEMTABLE_BYTES = 16L * 1024 * 1024;
    /** One memtable's size before it is flushed to a file. */
    public static final long WRITE_BUFFER_BYTES = 8L * 1024 * 1024;
    /** A memtable's allocation unit: what an idle store costs the memtable budget. */
    public static final long ARENA_BLOCK_BYTES = 64L * 1024;
    private static final double HIGH_PRIORITY_RATIO = 0.1;

    private static final Cache CACHE;
    private static final WriteBufferManager WRITE_BUFFERS;

    static {
        RocksDB.loadLibrary();
        CACHE = new LRUCache(TOTAL_BYTES, -1, false, HIGH_PRIORITY_RATIO);
        WRITE_BUFFERS = new WriteBufferManager(MEMTABLE_BYTES, CACHE);
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(CACHE);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(WRITE_BUFFERS);
        options.setWriteBufferSize(WRITE_BUFFER_BYTES);
        options.setArenaBlockSize(ARENA_BLOCK_BYTES);
        options.setMaxWriteBufferNumber(3);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and the write-buffer manager are shared by every store of the process: never closed here
    }
}
