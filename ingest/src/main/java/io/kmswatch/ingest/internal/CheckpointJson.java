package io.kmswatch.ingest.internal;

import io.kmswatch.events.Json;
import io.kmswatch.ingest.IngestException;
import java.io.IOException;

/** JSON encoding of checkpoint values (records), with clear errors for unreadable ones. */
public final class CheckpointJson {
    private CheckpointJson() {
    }

    public static byte[] write(Object value) {
        try {
            return Json.MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IngestException("cannot encode checkpoint " + value.getClass().getSimpleName() + ": " + e, e);
        }
    }

    /**
     * @throws IngestException naming the key when the stored value is not readable (a checkpoint
     *                         written by an incompatible version): delete the key to start over
     */
    public static <T> T read(String key, byte[] value, Class<T> type) {
        try {
            return Json.MAPPER.readValue(value, type);
        } catch (IOException e) {
            throw new IngestException("checkpoint " + key + " is unreadable (" + e.getMessage()
                    + "); delete that key from the checkpoint topic to start that source over", e);
        }
    }
}
