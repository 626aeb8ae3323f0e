package io.kmswatch.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Test support: reads a file, or every regular file under a directory in path order, with the codec,
 * passing over CloudTrail digest and Insight files and hidden files as the file sources do (the product's
 * walker is ingest's {@code LogFiles}; modules below ingest read test data with this).
 */
public final class CodecFiles {
    private CodecFiles() {
    }

    /** Reads {@code path} (a file or a directory) into {@code sink}. */
    public static ReadSummary read(CloudTrailCodec codec, Path path, CloudTrailCodec.Sink sink) {
        List<Path> files;
        if (Files.isDirectory(path)) {
            try (Stream<Path> s = Files.walk(path)) {
                files = s.filter(Files::isRegularFile)
                        .filter(f -> !f.toString().contains("CloudTrail-Digest") && !f.toString().contains("CloudTrail-Insight"))
                        .filter(f -> !f.getFileName().toString().startsWith("."))
                        .sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            files = List.of(path);
        }
        ReadSummary total = new ReadSummary(path.toString(), ReadSummary.Wrapper.UNKNOWN, 0, 0);
        for (Path f : files) {
            try (InputStream in = Files.newInputStream(f)) {
                total = total.plus(codec.read(in, f.toString(), sink));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return total;
    }
}
