package io.kmswatch.app;

import io.kmswatch.streams.DetectionsConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --rules PATH} (repeatable) and {@code --lenient}: users' Sigma rules for the commands that detect. */
final class RulesOptions {
    @Option(names = "--rules", paramLabel = "PATH",
            description = "Sigma rules: a .yml file or a directory of them (repeatable; added to detections.sigma.paths).")
    List<Path> rules = new ArrayList<>();

    @Option(names = "--lenient", description = "Skip Sigma rules that cannot run, with a warning, instead of refusing to start.")
    boolean lenient;

    /** The detections config with the command line's rules added. */
    DetectionsConfig apply(DetectionsConfig d) {
        if (rules.isEmpty() && !lenient) {
            return d;
        }
        return d.withSigma(d.sigma().plus(rules.stream().map(Path::toString).toList(), lenient));
    }

    /** The whole config with the command line's rules added. */
    KmswatchConfig apply(KmswatchConfig c) {
        return new KmswatchConfig(c.workDir(), c.kafka(), c.sources(), apply(c.detections()), c.alerts(), c.streams(),
                c.metrics());
    }
}
