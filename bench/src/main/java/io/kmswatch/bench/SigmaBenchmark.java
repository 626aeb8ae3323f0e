package io.kmswatch.bench;

import io.kmswatch.events.CloudTrailCodec;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Rejected;
import io.kmswatch.sigma.LoadOptions;
import io.kmswatch.sigma.RuleSet;
import io.kmswatch.sigma.SigmaRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Sigma rule-matching stage alone, on one thread: records per second per core for a rule set (the 57 SigmaHQ
 * CloudTrail rules, kmswatch's own rules, or any) over CloudTrail records that are already parsed, as the detect
 * topology hands them to the match processor. A record's tree is parsed only when the rule index gives it a
 * candidate rule, exactly as in the stream. Warms up until two consecutive passes agree within 5 %. The rate is per
 * second of the measuring thread's CPU time, so a busy machine does not lower it.
 *
 * <p>{@code kmswatch bench --only sigma} runs it beside {@code sigmaVsBuiltinOnly} (the whole detect topology
 * with and without the rules, {@link DetectBenchmark#sigma}); {@code java -cp kmswatch.jar
 * io.kmswatch.bench.SigmaBenchmark RULES_DIR EVENTS_PATH [SECONDS]} prints the matching rate alone as JSON.
 */
public final class SigmaBenchmark {
    private SigmaBenchmark() {
    }

    /** Result of one measurement. */
    public record Result(int rules, int records, long matches, double recordsPerSecond) {
    }

    /** Matches every record against the rules repeatedly for about {@code seconds} after the warm-up. */
    public static Result measure(RuleSet rules, List<CloudTrailEvent> events, double seconds) {
        long[] matches = {0};
        double previous = 0;
        for (int warm = 0; warm < 20; warm++) {
            double rate = pass(rules, events, 0.5, matches);
            if (previous > 0 && Math.abs(rate - previous) / previous < 0.05) {
                break;
            }
            previous = rate;
        }
        matches[0] = 0;
        double rate = pass(rules, events, seconds, matches);
        return new Result(rules.rules().size(), events.size(), matches[0], rate);
    }

    /**
     * Records per second of this thread's CPU time (per core, whatever else runs on the machine): on a shared
     * machine the wall clock counts other processes' time too.
     */
    private static double pass(RuleSet rules, List<CloudTrailEvent> events, double seconds, long[] matches) {
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        long cpuStart = cpu.getCurrentThreadCpuTime();
        long deadline = start + (long) (seconds * 1e9);
        long n = 0;
        while (System.nanoTime() < deadline) {
            for (CloudTrailEvent e : events) {
                rules.forEachMatch(SigmaRecord.of(e), r -> matches[0]++);
            }
            n += events.size();
        }
        return n / ((cpu.getCurrentThreadCpuTime() - cpuStart) / 1e9);
    }

    static List<CloudTrailEvent> read(Path path) {
        List<CloudTrailEvent> events = new ArrayList<>();
        io.kmswatch.ingest.files.LogFiles.read(new CloudTrailCodec(), path, new CloudTrailCodec.Sink() {
            @Override
            public void record(CloudTrailEvent event, String location) {
                events.add(event);
            }

            @Override
            public void rejected(Rejected r) {
                // not the subject of this benchmark
            }
        });
        return events;
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: SigmaBenchmark RULES_PATH EVENTS_PATH [SECONDS]");
            System.exit(2);
        }
        RuleSet rules = RuleSet.load(List.of(Path.of(args[0])), LoadOptions.strict());
        List<CloudTrailEvent> events = read(Path.of(args[1]));
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 5;
        Result r = measure(rules, events, seconds);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("rules", r.rules());
        json.put("records", r.records());
        json.put("sigmaMatchRecordsPerSecPerCore", Math.round(r.recordsPerSecond()));
        try {
            System.out.println(io.kmswatch.events.Json.MAPPER.writeValueAsString(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
