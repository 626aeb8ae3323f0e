package io.kmswatch.streams.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The write-behind stores inside a real Kafka Streams task (TopologyTestDriver commits after every input
 * record): what reaches the changelog, what processors read back, and how a window past retention reads.
 */
class WriteBehindStoresTest {
    private static final String APP = "wb";
    private static final long RETENTION_MS = 10_000;
    private TopologyTestDriver driver;
    private TestInputTopic<String, String> in;
    private TestOutputTopic<String, String> out;

    /** Input value: space-separated commands run in order on one record; reads are forwarded. */
    static final class Commands implements Processor<String, String, String, String> {
        private ProcessorContext<String, String> ctx;
        private KeyValueStore<String, Long> kv;
        private WindowStore<String, Long> windows;

        @Override
        public void init(ProcessorContext<String, String> c) {
            ctx = c;
            kv = c.getStateStore("kv");
            windows = c.getStateStore("windows");
        }

        @Override
        public void process(Record<String, String> r) {
            for (String cmd : r.value().split(" ")) {
                String[] p = cmd.split(":");
                switch (p[0]) {
                    case "put" -> kv.put(p[1], Long.parseLong(p[2]));
                    case "del" -> kv.delete(p[1]);
                    case "get" -> ctx.forward(r.withKey(p[1]).withValue(String.valueOf(kv.get(p[1]))));
                    case "count" -> {
                        long n = 0;
                        try (KeyValueIterator<String, Long> it = kv.all()) {
                            while (it.hasNext()) {
                                it.next();
                                n++;
                            }
                        }
                        ctx.forward(r.withKey("count").withValue(String.valueOf(n)));
                    }
                    case "wput" -> windows.put(p[1], Long.parseLong(p[3]), Long.parseLong(p[2]));
                    case "wget" -> ctx.forward(r.withKey(p[1])
                            .withValue(String.valueOf(windows.fetch(p[1], Long.parseLong(p[2])))));
                    case "wrange" -> {
                        StringBuilder sb = new StringBuilder();
                        try (WindowStoreIterator<Long> it = windows.fetch(p[1], Long.parseLong(p[2]), Long.parseLong(p[3]))) {
                            while (it.hasNext()) {
                                KeyValue<Long, Long> kv = it.next();
                                sb.append(sb.length() == 0 ? "" : ",").append(kv.key).append('=').append(kv.value);
                            }
                        }
                        ctx.forward(r.withKey(p[1]).withValue(sb.toString()));
                    }
                    default -> throw new IllegalArgumentException(cmd);
                }
            }
        }
    }

    @BeforeEach
    void start() {
        Topology t = new Topology();
        t.addSource("in", new StringDeserializer(), new StringDeserializer(), "in");
        t.addProcessor("commands", Commands::new, "in");
        t.addStateStore(WriteBehindStores.keyValue(Stores.inMemoryKeyValueStore("kv"), Serdes.Long(), 3), "commands");
        t.addStateStore(WriteBehindStores.window(Stores.inMemoryWindowStore("windows", Duration.ofMillis(RETENTION_MS),
                Duration.ofMillis(1000), false), Serdes.Long(), 100), "commands");
        t.addSink("out", "out", new StringSerializer(), new StringSerializer(), "commands");
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(t, p);
        in = driver.createInputTopic("in", new StringSerializer(), new StringSerializer());
        out = driver.createOutputTopic("out", new StringDeserializer(), new StringDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private List<KeyValue<String, Long>> changelog(String store) {
        return driver.createOutputTopic(APP + "-" + store + "-changelog", new StringDeserializer(), new LongDeserializer())
                .readKeyValuesToList();
    }

    @Test
    void shouldWriteOneChangelogRecordPerChangedKeyPerCommit() {
        in.pipeInput("x", "put:a:1 put:a:2 put:a:3 put:b:9");
        assertThat(changelog("kv")).containsExactlyInAnyOrder(KeyValue.pair("a", 3L), KeyValue.pair("b", 9L));

        in.pipeInput("x", "get:a");
        assertThat(out.readValue()).isEqualTo("3");
        assertThat(changelog("kv")).isEmpty(); // a read changes nothing

        in.pipeInput("x", "del:a put:b:10");
        assertThat(changelog("kv")).containsExactlyInAnyOrder(KeyValue.pair("a", null), KeyValue.pair("b", 10L));
        in.pipeInput("x", "get:a get:b");
        assertThat(out.readValuesToList()).containsExactly("null", "10");
    }

    @Test
    void shouldLetAScanSeeValuesNotYetCommitted() {
        in.pipeInput("x", "put:a:1 put:b:2 count del:a count");
        assertThat(out.readValuesToList()).containsExactly("2", "1");
    }

    @Test
    void shouldKeepEveryValueWhenMoreKeysChangeThanTheCacheHolds() {
        // capacity 3: the first keys are evicted, and written down, before the commit
        in.pipeInput("x", "put:a:1 put:b:2 put:c:3 put:d:4 put:e:5 get:a get:b get:e");
        assertThat(out.readValuesToList()).containsExactly("1", "2", "5");
        assertThat(driver.<String, Long>getKeyValueStore("kv").get("a")).isEqualTo(1L);
        assertThat(changelog("kv")).extracting(kv -> kv.key).containsExactlyInAnyOrder("a", "b", "c", "d", "e");
    }

    @Test
    void shouldReadOneKeysTimeRangeWithItsUncommittedWindowsOverTheCommittedOnes() {
        in.pipeInput("x", "wput:k:0:1 wput:k:1000:2"); // committed: in the store beneath
        in.pipeInput("x", "wput:k:1000:20 wput:k:2000:3 wput:j:1000:99 wrange:k:0:2500 wrange:k:500:2000 wrange:j:0:0");
        assertThat(out.readValuesToList()).containsExactly("0=1,1000=20,2000=3", "1000=20,2000=3", "");
        assertThat(driver.<String, Long>getWindowStore("windows").fetch("k", 1000L)).isEqualTo(20L);
    }

    @Test
    void shouldReadAWindowPastRetentionAsAbsentLikeTheStoreBeneath() {
        in.pipeInput("x", "wput:k:0:1 wput:k:1000:2 wget:k:0");
        assertThat(out.readValue()).isEqualTo("1");
        assertThat(changelog("windows")).hasSize(2);

        in.pipeInput("x", "wput:k:" + (RETENTION_MS + 5000) + ":3 wget:k:0 wget:k:" + (RETENTION_MS + 5000));
        assertThat(out.readValuesToList()).containsExactly("null", "3");
        assertThat(driver.<String, Long>getWindowStore("windows").fetch("k", 0L)).isNull();
    }
}
