package io.kmswatch.app;

import io.kmswatch.events.CloudTrailCodec;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Rejected;
import io.kmswatch.ingest.files.LogFiles;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kmswatch parse PATH…}: reads CloudTrail files or directories with the codec and prints one
 * line per record (or the records as NDJSON), rejections and a summary on stderr. Exit 0 when anything
 * was read, even if some records were rejected; 1 when nothing could be read.
 */
@Command(name = "parse", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Read CloudTrail log files or directories (any wrapper, gzip or zip) and print the records.",
            "One line per record: eventTime, eventName, key ARN, caller, cross-account flag.",
            "Rejected input and a summary go to stderr."})
final class ParseCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or directories to read.")
    List<Path> paths;

    @Option(names = "--json", description = "Print the records as NDJSON, exactly as read.")
    boolean json;

    @Option(names = "--kms-only", description = "Print only records from kms.amazonaws.com.")
    boolean kmsOnly;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CloudTrailCodec codec = new CloudTrailCodec();
        long[] counts = new long[3];
        Map<String, Long> rejectedByReason = new TreeMap<>();
        CloudTrailCodec.Sink sink = new CloudTrailCodec.Sink() {
            @Override
            public void record(CloudTrailEvent e, String location) {
                counts[0]++;
                if (e.isKms()) {
                    counts[2]++;
                } else if (kmsOnly) {
                    return;
                }
                if (json) {
                    out.println(new String(e.unsafeRawBytes(), StandardCharsets.UTF_8).replace('\n', ' ').replace('\r', ' '));
                } else {
                    out.println(line(e));
                }
            }

            @Override
            public void rejected(Rejected r) {
                counts[1]++;
                rejectedByReason.merge(r.reasonCategory(), 1L, Long::sum);
                err.println("rejected " + r.location() + ": " + r.reason());
            }
        };
        boolean missing = false;
        for (Path p : paths) {
            if (!Files.exists(p)) {
                err.println("kmswatch parse: no such file or directory: " + p);
                missing = true;
                continue;
            }
            LogFiles.read(codec, p, sink);
        }
        out.flush();
        StringBuilder summary = new StringBuilder()
                .append(counts[0]).append(" records read (").append(counts[2]).append(" from kms.amazonaws.com), ")
                .append(counts[1]).append(" rejected");
        if (!rejectedByReason.isEmpty()) {
            summary.append(": ");
            rejectedByReason.forEach((reason, n) -> summary.append(reason).append('=').append(n).append(' '));
        }
        err.println(summary.toString().trim());
        err.flush();
        return counts[0] > 0 && !missing ? 0 : (counts[0] > 0 ? 0 : 1);
    }

    static String line(CloudTrailEvent e) {
        return String.join("\t",
                String.valueOf(e.eventTime()),
                nz(e.eventName()),
                nz(e.keyArn()),
                nz(e.principal()),
                e.isCrossAccount() ? "cross-account" : "same-account");
    }

    private static String nz(String s) {
        return s == null ? "-" : s;
    }
}
