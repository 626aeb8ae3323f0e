package io.kmswatch.emulator.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Canonical bytes of an encryption context, so that the same map always authenticates the same way whatever
 * order the client sent it in. Layout: {@code count(4) *(keyLen(4) key valueLen(4) value)}, UTF-8, entries
 * sorted by key; an absent or empty context encodes as {@code count = 0}.
 */
public final class EncryptionContexts {
    private EncryptionContexts() {
    }

    public static byte[] encode(Map<String, String> context) {
        Map<String, String> sorted = context == null ? Map.of() : new TreeMap<>(context);
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.writeBytes(ByteBuffer.allocate(4).putInt(sorted.size()).array());
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            byte[] k = e.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] v = e.getValue().getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(4).putInt(k.length).array());
            out.writeBytes(k);
            out.writeBytes(ByteBuffer.allocate(4).putInt(v.length).array());
            out.writeBytes(v);
        }
        return out.toByteArray();
    }
}
