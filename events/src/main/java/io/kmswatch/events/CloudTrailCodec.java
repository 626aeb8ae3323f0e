package io.kmswatch.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.kmswatch.events.ReadSummary.Wrapper;
import io.kmswatch.events.internal.CapturingInputStream;
import io.kmswatch.events.internal.FastRecordParser;
import io.kmswatch.events.internal.RecordParser;
import io.kmswatch.events.internal.RecordParser.Fields;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads CloudTrail records from every wrapper CloudTrail and its consumers use, detecting the wrapper
 * itself, streaming (a 50 MB log file is never held as a tree):
 * <ul>
 *   <li>S3 delivery files {@code {"Records":[…]}}, plain or gzip;</li>
 *   <li>LookupEvents output {@code {"Events":[{"CloudTrailEvent":"<record as a JSON string>"}…]}},
 *       as the CLI and the SDK return it;</li>
 *   <li>EventBridge envelopes ({@code detail});</li>
 *   <li>bare JSON arrays; NDJSON (one record, envelope or event per line); a single record;</li>
 *   <li>zip archives of any of those.</li>
 * </ul>
 * Digest files are recognised by their content and yield nothing (digest entries of an archive also by
 * name); which files to read is the file sources' business. Every record keeps its exact original bytes.
 *
 * <p>Bad input never ends a read with an exception: a record that cannot be read becomes a
 * {@link Rejected} with its location and reason, and reading continues with the next record. Input
 * that breaks the JSON syntax mid-file (a truncated gzip, a cut-off array, a NUL or non-UTF-8 byte
 * between or inside records) yields one rejection for the unreadable remainder, after every record
 * before the damage (for corrupt deflate data: but for at most the 8 KB inflated just before it); in
 * NDJSON only the damaged line is lost. Input that is not UTF-8 JSON at all
 * (UTF-16, binary, CSV, an empty file) is one rejection naming what it is.
 *
 * <p>The codec has no clock: an {@code eventTime} in the future is read like any other (a replay of
 * a trail the emulator wrote on its fast clock is in the future); {@code ingest} counts and flags
 * such records. Instances are stateless and thread-safe.
 */
public final class CloudTrailCodec {
    /** Records larger than this are rejected (CloudTrail itself caps a record at 256 KB). */
    public static final int DEFAULT_MAX_RECORD_BYTES = 4 * 1024 * 1024;
    /** Enough to see the first line of NDJSON with a typical record; longer first lines read as a stream. */
    private static final int SNIFF_BYTES = 64 * 1024;
    /** What is looked at first: enough for an encoding, the first character and a wrapper field. */
    private static final int HEAD_BYTES = 256;

    /** Receives what a read finds, in input order. */
    public interface Sink {
        /** A record read, with its location ({@code file:record N}, {@code file:line N}). */
        void record(CloudTrailEvent event, String location);

        /** Input that could not be read. */
        void rejected(Rejected rejected);
    }

    /** Decompressed S3 log files up to this size are read in memory by the byte-level reader; larger ones stream. */
    static final int IN_MEMORY_FILE_BYTES = 32 * 1024 * 1024;
    /** A thread keeps its read buffer for the next file when it is no larger than this. */
    private static final int KEPT_SCRATCH_BYTES = 4 * 1024 * 1024;
    /**
     * Each reading thread's buffer for whole files: log files arrive one after another on the same
     * reader thread, and a fresh buffer per file (grown by doubling) cost more than parsing a small file.
     */
    private static final ThreadLocal<byte[]> SCRATCH = new ThreadLocal<>();

    private final int maxRecordBytes;
    private final boolean inMemory;

    public CloudTrailCodec() {
        this(DEFAULT_MAX_RECORD_BYTES);
    }

    public CloudTrailCodec(int maxRecordBytes) {
        this(maxRecordBytes, true);
    }

    /** With {@code inMemory} false every input streams through Jackson (the reference the tests compare with). */
    CloudTrailCodec(int maxRecordBytes, boolean inMemory) {
        this.maxRecordBytes = maxRecordBytes;
        this.inMemory = inMemory;
    }

    /**
     * Reads one stream (plain, gzip or zip; any wrapper). Does not close {@code in}. Which files to read
     * (directories, digest paths) is the caller's business (ingest's {@code LogFiles}); a digest read
     * anyway is recognised by its content and yields nothing.
     *
     * @param name used in locations
     */
    public ReadSummary read(InputStream in, String name, Sink sink) {
        Counting counting = new Counting(sink);
        Wrapper wrapper;
        try {
            wrapper = readDecoded(new BufferedInputStream(nonClosing(in), 16 * 1024), name, counting);
        } catch (IOException e) {
            counting.rejected(new Rejected(name, "unreadable input: " + RecordParser.message(e), null));
            wrapper = Wrapper.UNKNOWN;
        }
        return new ReadSummary(name, wrapper, counting.records, counting.rejected);
    }

    private Wrapper readDecoded(BufferedInputStream in, String name, Counting sink) throws IOException {
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            GZIPInputStream gz;
            try {
                gz = new GZIPInputStream(in, 64 * 1024);
            } catch (IOException e) {
                sink.rejected(new Rejected(name, "corrupt gzip header: " + RecordParser.message(e), magic));
                return Wrapper.UNKNOWN;
            }
            return readJson(new BufferedInputStream(new NoReadAhead(gz), 64 * 1024), name, sink);
        }
        if (magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) {
            readZip(in, name, sink);
            return Wrapper.ZIP;
        }
        return readJson(in, name, sink);
    }

    /** A digest or Insight file inside an archive: it holds no management events. */
    private static boolean isDigestEntry(String entryName) {
        return entryName.contains("CloudTrail-Digest") || entryName.contains("CloudTrail-Insight");
    }

    private void readZip(InputStream in, String name, Counting sink) {
        try {
            ZipInputStream zip = new ZipInputStream(in);
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                String entryName = name + "!" + entry.getName();
                if (entry.isDirectory() || isDigestEntry(entry.getName()) || entry.getName().startsWith("__MACOSX")) {
                    continue;
                }
                try {
                    readDecoded(new BufferedInputStream(nonClosing(zip), 64 * 1024), entryName, sink);
                } catch (IOException e) {
                    sink.rejected(new Rejected(entryName, "unreadable zip entry: " + RecordParser.message(e), null));
                }
            }
        } catch (IOException e) {
            sink.rejected(new Rejected(name, "corrupt zip archive: " + RecordParser.message(e), null));
        }
    }

    private Wrapper readJson(BufferedInputStream in, String name, Counting sink) throws IOException {
        // a mark no longer than the head read: a longer one makes the buffer grow to it (copying) as the
        // rest of the input is read through it
        in.mark(HEAD_BYTES + 1);
        IOException[] failure = new IOException[1];
        byte[] head = sniff(in, HEAD_BYTES, failure);
        in.reset();
        if (head.length == 0 && failure[0] != null) {
            // nothing readable at all (a gzip stream corrupt from its first block): not "empty"
            sink.rejected(new Rejected(name, "unreadable input: " + RecordParser.message(failure[0]), head));
            return Wrapper.UNKNOWN;
        }
        String encoding = wideEncoding(head);
        if (encoding != null) {
            sink.rejected(new Rejected(name, notUtf8(encoding), head));
            return Wrapper.UNKNOWN;
        }
        int first = firstNonSpace(head, 0);
        if (first < 0 && head.length < HEAD_BYTES) {
            sink.rejected(new Rejected(name, "empty input: no JSON found", head));
            return Wrapper.UNKNOWN;
        }
        if (first >= 0 && head[first] != '{' && head[first] != '[') {
            sink.rejected(new Rejected(name, "not JSON: input starts with '" + printable(head[first]) + "'",
                    head));
            return Wrapper.UNKNOWN;
        }
        // S3 log files and LookupEvents output open with their wrapper field: no NDJSON sniffing needed.
        if (first >= 0 && head[first] == '{' && inMemory && startsWith(head, first, "{\"Records\"")) {
            return readRecordsFile(in, name, sink);
        }
        if (first >= 0 && head[first] == '{' && !startsWithWrapperField(head, first)) {
            in.mark(SNIFF_BYTES + 1);
            byte[] more = sniff(in, SNIFF_BYTES, failure);
            in.reset();
            int start = firstNonSpace(more, 0);
            if (start < 0) {
                sink.rejected(new Rejected(name, "empty input: no JSON found", more));
                return Wrapper.UNKNOWN;
            }
            if (looksLikeNdjson(more, start)) {
                readLines(in, name, sink);
                return Wrapper.NDJSON;
            }
        }
        return readStream(in, name, sink);
    }

    /**
     * The name of the UTF-16 or UTF-32 encoding the first bytes are in, or null. JSON text starts with
     * an ASCII character, so a zero byte beside it means a wide encoding (Jackson would decode it, but
     * then reports no byte offsets, and records could not be sliced out with their exact bytes).
     */
    static String wideEncoding(byte[] b) {
        if (b.length >= 4 && b[0] == 0 && b[1] == 0 && (b[2] & 0xff) == 0xFE && (b[3] & 0xff) == 0xFF) {
            return "UTF-32BE";
        }
        if (b.length >= 4 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xFE && b[2] == 0 && b[3] == 0) {
            return "UTF-32LE";
        }
        if (b.length >= 2 && (b[0] & 0xff) == 0xFE && (b[1] & 0xff) == 0xFF) {
            return "UTF-16BE";
        }
        if (b.length >= 2 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xFE) {
            return "UTF-16LE";
        }
        if (b.length >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0 && isJsonStart(b[3])) {
            return "UTF-32BE";
        }
        if (b.length >= 4 && isJsonStart(b[0]) && b[1] == 0 && b[2] == 0 && b[3] == 0) {
            return "UTF-32LE";
        }
        if (b.length >= 2 && b[0] == 0 && isJsonStart(b[1])) {
            return "UTF-16BE";
        }
        if (b.length >= 2 && isJsonStart(b[0]) && b[1] == 0) {
            return "UTF-16LE";
        }
        return null;
    }

    private static boolean isJsonStart(byte c) {
        return c == '{' || c == '[' || c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    private static String notUtf8(String encoding) {
        return "not UTF-8: the input is " + encoding + " (CloudTrail writes UTF-8 JSON)";
    }

    /** True when {@code head} holds {@code prefix} at {@code first}, whitespace aside after its first byte. */
    private static boolean startsWith(byte[] head, int first, String prefix) {
        int i = first;
        for (int k = 0; k < prefix.length(); k++) {
            if (k == 1) {
                i = firstNonSpace(head, i);
                if (i < 0) {
                    return false;
                }
            }
            if (i >= head.length || head[i] != prefix.charAt(k)) {
                return false;
            }
            i++;
        }
        return true;
    }

    /** True when the object at {@code first} opens with {@code "Records"} or {@code "Events"}. */
    private static boolean startsWithWrapperField(byte[] head, int first) {
        int i = firstNonSpace(head, first + 1);
        if (i < 0) {
            return false;
        }
        String rest = new String(head, i, Math.min(10, head.length - i), java.nio.charset.StandardCharsets.US_ASCII);
        return rest.startsWith("\"Records\"") || rest.startsWith("\"Events\"");
    }

    /**
     * Reads up to {@link #SNIFF_BYTES} for wrapper detection. A read error (a truncated gzip) ends the
     * sniff early; the stream read proper reports it, after the records before it.
     */
    private static byte[] sniff(InputStream in, int max, IOException[] failure) {
        byte[] buf = new byte[max];
        int n = 0;
        try {
            int r;
            while (n < buf.length && (r = in.read(buf, n, Math.min(8192, buf.length - n))) > 0) {
                n += r;
            }
        } catch (IOException e) {
            failure[0] = e; // keep what was read
        }
        return Arrays.copyOf(buf, n);
    }

    /** NDJSON when the first line is a whole JSON object and more content follows on later lines. */
    private static boolean looksLikeNdjson(byte[] head, int first) {
        int nl = indexOf(head, (byte) '\n', first);
        if (nl < 0) {
            return false;
        }
        if (firstNonSpace(head, nl + 1) < 0) {
            return false;
        }
        try (JsonParser p = RecordParser.FACTORY.createParser(head, first, nl - first)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    private void readLines(InputStream in, String name, Counting sink) throws IOException {
        LineReader lines = new LineReader(in, maxRecordBytes);
        byte[] line;
        while ((line = lines.next()) != null) {
            String location = name + ":line " + lines.lineNumber();
            if (lines.lastLineTooLong()) {
                sink.rejected(new Rejected(location, "line longer than " + maxRecordBytes + " bytes", line));
                continue;
            }
            int first = firstNonSpace(line, 0);
            if (first < 0) {
                continue;
            }
            readValue(line, location, sink);
        }
    }

    /** Reads one complete JSON value held in memory: a record, an envelope, a wrapper. */
    private void readValue(byte[] bytes, String location, Counting sink) {
        String encoding = wideEncoding(bytes);
        if (encoding != null) {
            sink.rejected(new Rejected(location, notUtf8(encoding), bytes));
            return;
        }
        try (CapturingInputStream capture = new CapturingInputStream(new java.io.ByteArrayInputStream(bytes),
                Integer.MAX_VALUE);
             JsonParser p = RecordParser.FACTORY.createParser(capture)) {
            JsonToken t = p.nextToken();
            Reader reader = new Reader(p, capture, location, sink, false);
            reader.topValue(t);
            if (p.nextToken() != null) {
                sink.rejected(new Rejected(location, "trailing content after the JSON value", bytes));
            }
        } catch (IOException e) {
            sink.rejected(new Rejected(location, "not valid JSON: " + RecordParser.message(e), bytes));
        } catch (MalformedEventException e) {
            sink.rejected(new Rejected(location, e.getMessage(), bytes));
        }
    }

    /**
     * Reads an S3 log file: into memory (up to {@link #IN_MEMORY_FILE_BYTES}) and through
     * {@link FastRecordParser}; where that reader declines, the streaming reader goes over the same bytes
     * (skipping the records already handed over), and so it does for larger or unreadable input.
     */
    private Wrapper readRecordsFile(InputStream in, String name, Counting sink) {
        byte[][] scratch = {SCRATCH.get()};
        SCRATCH.remove(); // taken while in use: a sink that reads another file on this thread gets its own
        if (scratch[0] == null) {
            scratch[0] = new byte[256 * 1024];
        }
        try {
            return readRecordsFile(in, name, sink, scratch);
        } finally {
            if (scratch[0].length <= KEPT_SCRATCH_BYTES) {
                SCRATCH.set(scratch[0]);
            }
        }
    }

    /** {@code scratch[0]} is the buffer to read into; a larger one replaces it when the file needs it. */
    private Wrapper readRecordsFile(InputStream in, String name, Counting sink, byte[][] scratch) {
        byte[] buf = scratch[0];
        int n = 0;
        IOException failure = null;
        boolean complete = false;
        try {
            while (true) {
                if (n == buf.length) {
                    if (buf.length >= IN_MEMORY_FILE_BYTES) {
                        break;
                    }
                    buf = Arrays.copyOf(buf, Math.min(IN_MEMORY_FILE_BYTES, buf.length * 2));
                    scratch[0] = buf;
                }
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    complete = true;
                    break;
                }
                n += r;
            }
        } catch (IOException e) {
            failure = e;
        }
        if (!complete) {
            // larger than the bound, or broken part-way (a truncated gzip): the bytes read so far, then the rest
            IOException broken = failure;
            InputStream rest = broken == null ? in : new InputStream() {
                @Override
                public int read() throws IOException {
                    throw broken;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    throw broken;
                }
            };
            return readStream(new SequenceInputStream(new ByteArrayInputStream(buf, 0, n), rest), name, sink);
        }
        long handedOver = FastRecordParser.readRecordsFile(buf, n, name, maxRecordBytes, sink);
        if (handedOver < 0) {
            return Wrapper.RECORDS;
        }
        sink.skipRecords = handedOver;
        return readStream(new ByteArrayInputStream(buf, 0, n), name, sink);
    }

    private Wrapper readStream(InputStream in, String name, Counting sink) {
        CapturingInputStream capture = new CapturingInputStream(in, maxRecordBytes);
        Reader reader = null;
        try (JsonParser p = RecordParser.FACTORY.createParser(capture)) {
            reader = new Reader(p, capture, name, sink, true);
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                reader.topValue(t);
            }
            return reader.wrapper;
        } catch (IOException | MalformedEventException e) {
            String reason = e instanceof IOException io ? RecordParser.message(io) : e.getMessage();
            long at = reader == null ? 0 : reader.elements;
            sink.rejected(new Rejected(name + (at > 0 ? ":record " + at : ""),
                    "unreadable input, the rest of the file is skipped after " + sink.records + " records: " + reason,
                    reader == null ? null : capture.prefix(reader.elementStart, 4096)));
            return reader == null ? Wrapper.UNKNOWN : reader.wrapper;
        }
    }

    /** Streams the values of one input; knows where each object starts so its bytes can be sliced. */
    private final class Reader implements RecordParser.WrapperHandler {
        private final JsonParser p;
        private final CapturingInputStream capture;
        private final String name;
        private final Counting sink;
        private final boolean numberElements;
        Wrapper wrapper = Wrapper.UNKNOWN;
        long elements;
        long elementStart;

        Reader(JsonParser p, CapturingInputStream capture, String name, Counting sink, boolean numberElements) {
            this.p = p;
            this.capture = capture;
            this.name = name;
            this.sink = sink;
            this.numberElements = numberElements;
        }

        void topValue(JsonToken t) throws IOException {
            if (t == JsonToken.START_ARRAY) {
                if (wrapper == Wrapper.UNKNOWN) {
                    wrapper = Wrapper.ARRAY;
                }
                onArray("", p);
            } else if (t == JsonToken.START_OBJECT) {
                if (wrapper == Wrapper.UNKNOWN) {
                    wrapper = Wrapper.SINGLE;
                }
                object(numberElements && wrapper == Wrapper.ARRAY ? nextLocation() : name);
            } else {
                long at = p.currentTokenLocation().getByteOffset();
                p.skipChildren();
                sink.rejected(new Rejected(name, "top-level JSON value is " + describe(t)
                        + ", not an object or array", capture.prefix(at, 256)));
            }
        }

        @Override
        public void onArray(String fieldName, JsonParser parser) throws IOException {
            if ("Records".equals(fieldName)) {
                wrapper = Wrapper.RECORDS;
            } else if ("Events".equals(fieldName)) {
                wrapper = Wrapper.LOOKUP_EVENTS;
            }
            capture.keepFrom(p.currentLocation().getByteOffset());
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw new MalformedEventException("input ends inside an array");
                }
                String location = nextLocation();
                if (t == JsonToken.START_OBJECT) {
                    object(location);
                } else {
                    long at = p.currentTokenLocation().getByteOffset();
                    p.skipChildren();
                    sink.rejected(new Rejected(location, "array element is " + describe(t) + ", not a record",
                            capture.prefix(at, 256)));
                }
            }
        }

        private String nextLocation() {
            elements++;
            return name + ":record " + elements;
        }

        /** The parser is on START_OBJECT. */
        private void object(String location) throws IOException {
            long start = p.currentTokenLocation().getByteOffset();
            elementStart = start;
            capture.keepFrom(start);
            Fields f = RecordParser.readObject(p, this);
            long end = p.currentTokenLocation().getByteOffset() + 1;
            if (f.wrapperSeen) {
                return;
            }
            if (f.digest) {
                wrapper = Wrapper.DIGEST;
                return;
            }
            if (f.duplicateWrapperField != null && (f.embeddedRecord != null || f.detailSpan != null)) {
                byte[] raw = capture.slice(start, end);
                sink.rejected(new Rejected(location, "duplicate field '" + f.duplicateWrapperField + "'",
                        raw != null ? raw : capture.prefix(start, 4096)));
                capture.keepFrom(end);
                return;
            }
            if (f.embeddedRecord != null) {
                if (wrapper == Wrapper.SINGLE) {
                    wrapper = Wrapper.LOOKUP_EVENTS;
                }
                emit(() -> parseRecord(f.embeddedRecord.getBytes(StandardCharsets.UTF_8)), location,
                        () -> f.embeddedRecord.getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (f.detailSpan != null && (f.envelopeSeen || !f.looksLikeRecord())) {
                if (wrapper == Wrapper.SINGLE || wrapper == Wrapper.ARRAY) {
                    wrapper = Wrapper.EVENTBRIDGE;
                }
                byte[] detail = capture.slice(f.detailSpan[0], f.detailSpan[1]);
                if (detail == null) {
                    sink.rejected(new Rejected(location, "record larger than " + maxRecordBytes + " bytes",
                            capture.prefix(f.detailSpan[0], 4096)));
                    return;
                }
                emit(() -> parseRecord(detail), location, () -> detail);
                return;
            }
            byte[] raw = capture.slice(start, end);
            if (raw == null) {
                sink.rejected(new Rejected(location, "record larger than " + maxRecordBytes + " bytes",
                        capture.prefix(start, 4096)));
                return;
            }
            if (!f.looksLikeRecord()) {
                sink.rejected(new Rejected(location, RecordParser.NOT_A_RECORD, raw));
                return;
            }
            emit(() -> RecordParser.finish(f, raw, start), location, () -> raw);
            capture.keepFrom(end);
        }

        private void emit(java.util.function.Supplier<CloudTrailEvent> parse, String location,
                          java.util.function.Supplier<byte[]> raw) {
            CloudTrailEvent event;
            try {
                event = parse.get();
            } catch (MalformedEventException e) {
                sink.rejected(new Rejected(location, e.getMessage(), raw.get()));
                return;
            }
            sink.record(event, location);
        }
    }

    private CloudTrailEvent parseRecord(byte[] json) {
        return inMemory ? RecordParser.parseRecord(json) : RecordParser.parseRecordStreaming(json);
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            default -> t.name();
        };
    }

    private static int firstNonSpace(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            byte c = b[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t' && !(i == 0 && (c & 0xff) == 0xEF)) {
                if ((c & 0xff) == 0xBB || (c & 0xff) == 0xBF) {
                    if (i <= 2) {
                        continue;
                    }
                }
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] b, byte c, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static String printable(byte b) {
        int c = b & 0xff;
        return c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c);
    }

    private static InputStream nonClosing(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public void close() {
                // the caller owns the stream
            }
        };
    }

    /**
     * Hands a damaged gzip stream's output on as it comes, so the records before the damage come
     * through: it reports nothing {@link InputStream#available() available}, so a
     * {@link BufferedInputStream} above returns each chunk instead of reading on into the failure
     * (which would drop the chunk with the exception), and it inflates at most 8 KB per call, since
     * the output of the call that meets corrupt deflate data is lost with it.
     */
    private static final class NoReadAhead extends FilterInputStream {
        private static final int CHUNK = 8 * 1024;

        NoReadAhead(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, Math.min(len, CHUNK));
        }

        @Override
        public int available() {
            return 0;
        }
    }

    /**
     * Counts what passes to the sink; drops the first {@link #skipRecords} records (those the byte-level
     * reader already handed over when the streaming reader goes over the same file again).
     */
    private static final class Counting implements Sink {
        private final Sink delegate;
        long records;
        long rejected;
        long skipRecords;

        Counting(Sink delegate) {
            this.delegate = delegate;
        }

        @Override
        public void record(CloudTrailEvent event, String location) {
            if (skipRecords > 0) {
                skipRecords--;
                return;
            }
            records++;
            delegate.record(event, location);
        }

        @Override
        public void rejected(Rejected r) {
            rejected++;
            delegate.rejected(r);
        }
    }

    /** Splits a byte stream into lines without decoding, bounding line length. */
    private static final class LineReader {
        private final InputStream in;
        private final int max;
        private final byte[] chunk = new byte[64 * 1024];
        private int pos;
        private int lim;
        private long line;
        private boolean tooLong;

        LineReader(InputStream in, int max) {
            this.in = in;
            this.max = max;
        }

        long lineNumber() {
            return line;
        }

        boolean lastLineTooLong() {
            return tooLong;
        }

        byte[] next() throws IOException {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            tooLong = false;
            boolean any = false;
            while (true) {
                if (pos == lim) {
                    lim = in.read(chunk);
                    pos = 0;
                    if (lim <= 0) {
                        lim = 0;
                        if (!any) {
                            return null;
                        }
                        line++;
                        return out.toByteArray();
                    }
                }
                any = true;
                int start = pos;
                while (pos < lim && chunk[pos] != '\n') {
                    pos++;
                }
                int n = pos - start;
                if (out.size() + n <= max) {
                    out.write(chunk, start, n);
                } else {
                    if (out.size() < 4096) {
                        out.write(chunk, start, Math.min(n, 4096 - out.size()));
                    }
                    tooLong = true;
                }
                if (pos < lim) {
                    pos++;
                    line++;
                    return out.toByteArray();
                }
            }
        }
    }

    /** Reads a whole input into a list, for tests and small tools. */
    public static final class Collected implements Sink {
        public final List<CloudTrailEvent> records = new ArrayList<>();
        public final List<Rejected> rejected = new ArrayList<>();

        @Override
        public void record(CloudTrailEvent event, String location) {
            records.add(event);
        }

        @Override
        public void rejected(Rejected r) {
            rejected.add(r);
        }
    }
}
