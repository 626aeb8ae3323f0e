package io.kmswatch.ingest.internal;

import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports a replay's progress: files done of total, records, records/s and ETA. On a terminal a
 * progress bar (me.tongfei progressbar); otherwise an INFO log line every few seconds. Thread-safe.
 */
public final class ReplayProgress implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayProgress.class);
    private static final long LOG_EVERY_NANOS = Duration.ofSeconds(5).toNanos();

    private final String task;
    private final ProgressBar bar;
    private final boolean log;
    private final long start = System.nanoTime();
    private long total;
    private long files;
    private long records;
    private long lastLog = System.nanoTime();

    private ReplayProgress(String task, long total, boolean enabled, boolean terminal) {
        this.task = task;
        this.total = total;
        this.log = enabled && !terminal;
        this.bar = enabled && terminal
                ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(" files", 1)
                        .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(250)
                        .setMaxRenderedLength(120).build()
                : null;
    }

    /**
     * @param enabled false for no output at all
     */
    public static ReplayProgress create(String task, long totalFiles, boolean enabled) {
        return new ReplayProgress(task, totalFiles, enabled, System.console() != null);
    }

    /** More files were found (follow mode). */
    public synchronized void addTotal(long more) {
        total += more;
        if (bar != null) {
            bar.maxHint(total);
        }
    }

    /** One more file read; {@code recordsInFile} records in it. */
    public synchronized void fileDone(long recordsInFile) {
        files++;
        records += recordsInFile;
        double rate = records / Math.max(1e-3, (System.nanoTime() - start) / 1e9);
        if (bar != null) {
            bar.stepTo(files);
            bar.setExtraMessage(String.format(" %,d records, %,.0f rec/s", records, rate));
        } else if (log && System.nanoTime() - lastLog >= LOG_EVERY_NANOS) {
            lastLog = System.nanoTime();
            LOG.info("{}: {} of {} files, {} records, {} rec/s, ETA {}", task, files, total, records,
                    Math.round(rate), eta());
        }
    }

    private String eta() {
        if (files == 0 || total <= files) {
            return "-";
        }
        long elapsed = System.nanoTime() - start;
        long remaining = (long) ((double) elapsed / files * (total - files));
        return Duration.ofNanos(remaining).withNanos(0).toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
        }
        if (log || bar != null) {
            double secs = (System.nanoTime() - start) / 1e9;
            LOG.info("{}: done, {} files, {} records in {} s ({} rec/s)", task, files, records,
                    String.format("%.1f", secs), Math.round(records / Math.max(secs, 1e-3)));
        }
    }
}
