package io.kmswatch.app;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

/**
 * The throwaway work directory of a self-contained run ({@code demo}, {@code replay}, {@code evaluate}):
 * the embedded broker's data and the Kafka Streams state, deleted when the run ends.
 *
 * <p>It lives under the user's cache directory ({@code $XDG_CACHE_HOME/kmswatch}, else
 * {@code ~/.cache/kmswatch}), not under the OS temp directory, which the OS may clean while a run is
 * still writing its state there (Kafka Streams warns about a state directory in it, rightly). A run
 * holds a lock on {@code .lock} in its directory for as long as it lives; a directory whose lock is
 * free belongs to a run that was killed before it could clean up, and the next run deletes it. When
 * the cache directory cannot be written, the OS temp directory is used instead.
 */
final class ScratchDir implements AutoCloseable {
    private static final String LOCK = ".lock";

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;

    private ScratchDir(Path path, FileChannel channel, FileLock lock) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates a new directory named {@code prefix} plus a random suffix, after deleting the directories
     * with that prefix that no live run holds.
     *
     * @throws IOException when neither the cache directory nor the OS temp directory can be written
     */
    static ScratchDir create(String prefix) throws IOException {
        return create(root(), prefix);
    }

    /** {@link #create(String)} under another root directory. */
    static ScratchDir create(Path under, String prefix) throws IOException {
        Path dir;
        try {
            Path root = Files.createDirectories(under);
            sweep(root, prefix);
            dir = Files.createTempDirectory(root, prefix);
        } catch (IOException | SecurityException e) {
            dir = Files.createTempDirectory(prefix);
        }
        FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            return new ScratchDir(dir, channel, channel.lock());
        } catch (IOException | RuntimeException e) {
            channel.close();
            DirectoryCleaner.delete(dir);
            throw e;
        }
    }

    /** Where scratch directories go: {@code $XDG_CACHE_HOME/kmswatch}, else {@code ~/.cache/kmswatch}. */
    static Path root() {
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("kmswatch");
    }

    /** Deletes the directories under {@code root} named {@code prefix…} whose lock no process holds. */
    private static void sweep(Path root, String prefix) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, prefix + "*")) {
            for (Path d : dirs) {
                if (Files.isDirectory(d) && abandoned(d)) {
                    DirectoryCleaner.delete(d);
                }
            }
        } catch (IOException e) {
            // best effort: what is left is swept by a later run
        }
    }

    private static boolean abandoned(Path dir) {
        Path lockFile = dir.resolve(LOCK);
        try {
            // A run that has just created its lock file may not hold the lock yet: leave young ones alone.
            if (Files.getLastModifiedTime(lockFile).toInstant().isAfter(Instant.now().minus(Duration.ofMinutes(1)))) {
                return false;
            }
        } catch (IOException e) {
            return false; // no lock file yet, or the directory is being deleted
        }
        try (FileChannel c = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock l = c.tryLock();
            if (l == null) {
                return false;
            }
            l.release();
            return true;
        } catch (OverlappingFileLockException e) {
            return false; // held by a run in this JVM
        } catch (IOException e) {
            return false;
        }
    }

    Path path() {
        return path;
    }

    /** Releases the lock and deletes the directory, best effort. */
    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
        DirectoryCleaner.delete(path);
    }
}
