package io.kmswatch.app;

import io.kmswatch.events.Json;
import io.kmswatch.events.bench.CodecBenchmark;
import io.kmswatch.events.bench.Measurement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kmswatch bench}: every figure beside a reference measured in the same run (medians of
 * several runs with their min–max spread, and the ratio ours ÷ reference).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Benchmark kmswatch on this machine, each figure beside its reference measured in the same run.")
final class BenchCommand implements Callable<Integer> {
    static final Path DEFAULT_CODEC_INPUT = Path.of("../shared/datasets/invictus-ir__aws_dataset/CloudTrail");

    @Option(names = "--json", description = "Print one JSON object with every figure.")
    boolean json;

    @Option(names = "--quick", description = "Fewer and shorter runs (the whole run stays under ten minutes).")
    boolean quick;

    @Option(names = "--codec-input", description = "CloudTrail files or directories for the codec benchmark "
            + "(default: the invictus dataset beside the checkout when present, else synthetic log files).")
    List<Path> codecInput;

    @Override
    public Integer call() {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
                "java", System.getProperty("java.version"), "os", System.getProperty("os.name") + " " + System.getProperty("os.version")));
        codec(figures);
        if (json) {
            try {
                System.out.println(Json.MAPPER.writeValueAsString(figures));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return 0;
    }

    private void codec(Map<String, Object> figures) {
        CodecBenchmark bench;
        String input;
        if (codecInput != null && !codecInput.isEmpty()) {
            bench = new CodecBenchmark(codecInput);
            input = codecInput.toString();
        } else if (Files.isDirectory(DEFAULT_CODEC_INPUT)) {
            bench = new CodecBenchmark(List.of(DEFAULT_CODEC_INPUT));
            input = DEFAULT_CODEC_INPUT.toString();
        } else {
            bench = CodecBenchmark.synthetic(40, 500);
            input = "synthetic (40 files x 500 records)";
        }
        CodecBenchmark.Result r = bench.run(quick ? 3 : 5, quick ? 5 : 9, quick ? 300_000_000L : 1_000_000_000L);
        figures.put("codecInput", input);
        figures.put("codecRecordsPerSec", Math.round(r.codec().median()));
        figures.put("readTreeRecordsPerSec", Math.round(r.readTree().median()));
        figures.put("codecVsReadTree", round(r.ratio()));
        if (!json) {
            System.out.println("1. Codec parse (" + input + ", " + r.recordsPerPass() + " records per pass)");
            print(r.codec());
            print(r.readTree());
            System.out.printf("   codec / readTree = %.2f%n", r.ratio());
        }
    }

    private static void print(Measurement m) {
        System.out.printf("   %-10s %,12.0f records/s  (min %,.0f  max %,.0f, %d runs)%n", m.name(), m.median(), m.min(), m.max(), m.runs());
    }

    static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }
}
