package io.kmswatch.ingest.bench;

import io.kmswatch.broker.EmbeddedKafkaBroker;
import io.kmswatch.ingest.files.FilesConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link ReplayBenchmark} against a fresh embedded broker (not a test: speed is measured here,
 * not asserted). Arguments: {@code [runs] [readers] [path…]}; without paths, 60 synthetic gzip files of 1,000
 * KMS records each.
 *
 * <pre>
 * mvn -q -pl ingest test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/ingest-cp.txt -DincludeScope=test
 * java -Xmx1g -cp ingest/target/classes:ingest/target/test-classes:$(cat /tmp/ingest-cp.txt) io.kmswatch.ingest.bench.ReplayBench 3 2
 * </pre>
 */
final class ReplayBench {
    private ReplayBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int readers = args.length > 1 ? Integer.parseInt(args[1]) : FilesConfig.DEFAULT_READERS;
        List<Path> paths = Arrays.stream(args).skip(2).map(Path::of).toList();
        Path tmp = Files.createTempDirectory("replay-bench-");
        ReplayBenchmark bench = (paths.isEmpty() ? ReplayBenchmark.synthetic(tmp, 60, 1000) : new ReplayBenchmark(paths))
                .readers(readers);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            ReplayBenchmark.Result r = bench.run(Map.of("bootstrap.servers", broker.bootstrapServers()), runs);
            System.out.println(r.report());
        }
    }
}
