package io.kmswatch.events.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Passes bytes through to a streaming JSON parser while keeping those from a moving mark
 * ({@link #keepFrom}) onwards, so the exact original bytes of the record the parser is in can be
 * sliced out afterwards without buffering the whole file. Offsets are absolute positions in the
 * stream, the same ones Jackson reports as byte offsets.
 *
 * <p>Memory is bounded: when the kept span exceeds {@code limit}, older bytes are dropped (keeping
 * the latest chunk read, where the next record starts), and slicing a span that lost its start
 * reports it as too large.
 */
public final class CapturingInputStream extends InputStream {
    private final InputStream in;
    private final int limit;
    private byte[] buf = new byte[16 * 1024];
    private long base;
    private int len;
    private long keepFrom;

    public CapturingInputStream(InputStream in, int limit) {
        this.in = in;
        this.limit = limit;
    }

    /** Bytes before {@code offset} are no longer needed. */
    public void keepFrom(long offset) {
        keepFrom = Math.max(keepFrom, offset);
    }

    /** The bytes in [start, end), or null when some of them were dropped (the span exceeded the limit). */
    public byte[] slice(long start, long end) {
        if (start < base || end > base + len || end < start) {
            return null;
        }
        return Arrays.copyOfRange(buf, (int) (start - base), (int) (end - base));
    }

    /** Up to {@code max} bytes kept from {@code start} on (for rejections of oversized input). */
    public byte[] prefix(long start, int max) {
        long from = Math.max(start, base);
        long to = Math.min(base + len, from + max);
        if (to <= from) {
            return new byte[0];
        }
        return Arrays.copyOfRange(buf, (int) (from - base), (int) (to - base));
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int n) throws IOException {
        int r = in.read(b, off, n);
        if (r > 0) {
            append(b, off, r);
        }
        return r;
    }

    private void append(byte[] b, int off, int r) {
        // Drop what is before the mark.
        if (keepFrom > base) {
            int drop = (int) Math.min(len, keepFrom - base);
            System.arraycopy(buf, drop, buf, 0, len - drop);
            len -= drop;
            base += drop;
        }
        // Over the limit: keep only what arrives from now on; the oversized span cannot be sliced.
        if (len + r > limit) {
            base += len;
            len = 0;
        }
        if (len + r > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + r));
        }
        System.arraycopy(b, off, buf, len, r);
        len += r;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
