package io.kmswatch.emulator.trail;

import io.kmswatch.emulator.EmulatorException;
import io.kmswatch.events.CloudTrailEvent;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The {@code --audit-log} file: one CloudTrail record per line (NDJSON), appended and flushed as each is
 * emitted, so {@code tail -f} and the ingest file reader see records at once.
 */
public final class AuditLogWriter implements AutoCloseable {
    private final Path file;
    private final OutputStream out;

    public AuditLogWriter(Path file) {
        this.file = file;
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new EmulatorException("cannot open audit log " + file + ": " + e.getMessage(), e);
        }
    }

    public synchronized void write(CloudTrailEvent event) {
        try {
            out.write(event.unsafeRawBytes());
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new EmulatorException("cannot write audit log " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // Closing on shutdown; nothing left to save.
        }
    }
}
