package io.kmswatch.events;

/** Copies of a byte array with one edit, for the codec's mutation properties. */
final class ByteEdits {
    private ByteEdits() {
    }

    /** {@code b} with byte {@code at} replaced by {@code v} (unchanged when {@code at} is past the end). */
    static byte[] set(byte[] b, int at, byte v) {
        byte[] c = b.clone();
        if (at < c.length) {
            c[at] = v;
        }
        return c;
    }

    /** {@code b} with {@code v} inserted before byte {@code at}. */
    static byte[] insert(byte[] b, int at, byte v) {
        byte[] c = new byte[b.length + 1];
        System.arraycopy(b, 0, c, 0, at);
        c[at] = v;
        System.arraycopy(b, at, c, at + 1, b.length - at);
        return c;
    }

    /** {@code b} without the {@code n} bytes from {@code at} (fewer at the end). */
    static byte[] delete(byte[] b, int at, int n) {
        int end = Math.min(b.length, at + n);
        byte[] c = new byte[b.length - (end - at)];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(b, end, c, at, b.length - end);
        return c;
    }

    /**
     * One of four edits chosen by {@code kind} (0–3) at {@code pos} modulo the length: truncate there, set
     * a byte, insert a byte, or delete up to {@code maxDelete} bytes.
     */
    static byte[] edit(byte[] b, int kind, int pos, byte value, int maxDelete) {
        int at = pos % (b.length + 1);
        return switch (kind) {
            case 0 -> java.util.Arrays.copyOf(b, at);
            case 1 -> set(b, at, value);
            case 2 -> insert(b, at, value);
            default -> delete(b, at, 1 + pos % maxDelete);
        };
    }
}
