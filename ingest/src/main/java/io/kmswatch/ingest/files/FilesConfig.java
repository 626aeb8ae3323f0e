package io.kmswatch.ingest.files;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The log-file source: files or directory trees (the S3 delivery layout, or anything else), gzip or
 * plain, any wrapper the codec knows. YAML key {@code sources.files}.
 *
 * @param paths        files and directories to read; at least one
 * @param follow       keep watching the directories for new files after the first pass
 * @param pollInterval pause between scans when following; default 10 seconds
 * @param progress     show a progress bar when stdout is a terminal (plain log lines otherwise); default true
 * @param checkpointInterval how often completed files are written to the checkpoint; default 1 second
 *                     (0: after every file)
 * @param readers      files read in parallel; default {@value #DEFAULT_READERS}. More readers replay faster (two
 *                     were 1.2–1.4× faster with the broker on the same two cores) but interleave the records of
 *                     different files on {@code kms-events}, in an order that changes from run to run: the
 *                     detections' fingerprints do not depend on it within the grace, but which event fires
 *                     first does, and with it a detection's evidence and the id and suppression window of the
 *                     alert it opens; files far apart in event time can also arrive later than the grace.
 *                     Raise it where throughput matters more than a replay that repeats exactly.
 */
public record FilesConfig(List<Path> paths, Boolean follow, Duration pollInterval, Boolean progress,
                          Duration checkpointInterval, Integer readers) {
    /** Files read in parallel unless configured. */
    public static final int DEFAULT_READERS = 1;

    public FilesConfig {
        if (paths == null || paths.isEmpty()) {
            throw new IllegalArgumentException("sources.files.paths must name at least one file or directory");
        }
        paths = paths.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        follow = follow != null && follow;
        pollInterval = pollInterval == null ? Duration.ofSeconds(10) : pollInterval;
        progress = progress == null || progress;
        checkpointInterval = checkpointInterval == null ? Duration.ofSeconds(1) : checkpointInterval;
        readers = readers == null ? DEFAULT_READERS : readers;
        if (readers < 1 || readers > 64) {
            throw new IllegalArgumentException("sources.files.readers must be 1..64, got " + readers);
        }
        if (checkpointInterval.isNegative()) {
            throw new IllegalArgumentException("sources.files.checkpointInterval must not be negative");
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("sources.files.pollInterval must be positive, got " + pollInterval);
        }
    }

    /** Reads the paths once, no follow, with progress. */
    public static FilesConfig of(List<Path> paths) {
        return new FilesConfig(paths, false, null, null, null, null);
    }
}
