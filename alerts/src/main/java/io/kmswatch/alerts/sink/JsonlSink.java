package io.kmswatch.alerts.sink;

import io.kmswatch.alerts.AlertDeliveryException;
import io.kmswatch.events.Alert;
import io.kmswatch.events.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends one {@link Alert} JSON per line to a file, forced to disk before {@link #deliver}
 * returns, so an accepted alert survives a crash. Parent directories are created.
 */
public final class JsonlSink implements AlertSink {
    private final String name;
    private final Path path;
    private FileChannel channel;

    public JsonlSink(String name, Path path) {
        this.name = name;
        this.path = path;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized void deliver(Alert alert) {
        try {
            if (channel == null) {
                Path parent = path.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND);
            }
            byte[] json = Json.MAPPER.writeValueAsBytes(alert);
            ByteBuffer buf = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            channel.force(false);
        } catch (IOException e) {
            closeQuietly();
            throw new AlertDeliveryException(name + ": cannot append to " + path + ": " + e.getMessage(), true, e);
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Nothing left to do: every accepted line was forced to disk already.
            }
            channel = null;
        }
    }
}
