package io.kmswatch.app;

import io.kmswatch.bench.BenchCommand;
import io.kmswatch.bench.MemoryBenchmark;
import java.nio.file.Path;
import picocli.CommandLine.Command;

/**
 * {@code kmswatch bench}: the benchmarks of the {@code bench} module under this launcher, with its
 * version and its jar for the benchmarks that run kmswatch as a child process.
 */
@Command(name = "bench", versionProvider = VersionProvider.class)
final class BenchSubcommand extends BenchCommand {
    @Override
    protected Path applicationJar() {
        return MemoryBenchmark.jarOf(Kmswatch.class);
    }
}
