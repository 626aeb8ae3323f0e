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
}
