package io.kmswatch.ingest.files;

import io.kmswatch.events.CloudTrailCodec;
import io.kmswatch.events.ReadSummary;
import io.kmswatch.events.ReadSummary.Wrapper;
import io.kmswatch.events.Rejected;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * CloudTrail log files on disk: which files under a path to read (sorted, without CloudTrail digest and
 * Insight files or hidden files) and reading them with the codec, which only decodes. Used by the files
 * source, {@code kmswatch parse} and {@code replay}, and the benchmarks.
 */
public final class LogFiles {
    private LogFiles() {
    }

    /** True for CloudTrail digest (and Insight) files, which hold no management events; S3 keys alike. */
    public static boolean isDigestPath(String name) {
        return name.contains("CloudTrail-Digest") || name.contains("CloudTrail-Insight");
    }

    /**
     * Every regular file under a directory, sorted, without digest files and hidden ({@code .name}) files.
     * A file or directory that vanishes while the directory is walked (a writer renaming its temporary file
     * into place) is passed over: it was not there to be listed.
     *
     * @throws UncheckedIOException when the directory cannot be listed
     */
    public static List<Path> listFiles(Path dir) {
        List<Path> out = new ArrayList<>();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    boolean regular = attrs.isRegularFile() || attrs.isSymbolicLink() && Files.isRegularFile(file);
                    if (regular && !isDigestPath(file.toString())
                            && !file.getFileName().toString().startsWith(".")) {
                        out.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException && !file.equals(dir)) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    if (e != null && !(e instanceof NoSuchFileException && !d.equals(dir))) {
                        throw e;
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        out.sort(null);
        return out;
    }

    /**
     * Reads a file, or every file {@link #listFiles} finds under a directory, with {@code codec}. A digest
     * path yields nothing; a file that cannot be opened becomes a rejection.
     *
     * @throws UncheckedIOException when a directory cannot be listed
     */
    public static ReadSummary read(CloudTrailCodec codec, Path path, CloudTrailCodec.Sink sink) {
        if (Files.isDirectory(path)) {
            ReadSummary total = new ReadSummary(path.toString(), Wrapper.UNKNOWN, 0, 0);
            for (Path file : listFiles(path)) {
                total = total.plus(read(codec, file, sink));
            }
            return total;
        }
        String name = path.toString();
        if (isDigestPath(name)) {
            return new ReadSummary(name, Wrapper.DIGEST, 0, 0);
        }
        try (InputStream in = Files.newInputStream(path)) {
            return codec.read(in, name, sink);
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getClass().getSimpleName() + ": " + e.getMessage().replace('\n', ' ');
            sink.rejected(new Rejected(name, "cannot open file: " + why, null));
            return new ReadSummary(name, Wrapper.UNKNOWN, 0, 1);
        }
    }
}
