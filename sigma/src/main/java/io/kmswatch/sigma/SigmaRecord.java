package io.kmswatch.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Json;
import io.kmswatch.events.MalformedEventException;
import java.io.IOException;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One CloudTrail record as the engine sees it: {@code eventSource} and {@code eventName} up front (they pick
 * the candidate rules from the index without parsing anything), the whole record as a Jackson tree only when
 * a candidate rule needs it (parsed once, then kept).
 *
 * <p>Not thread-safe (the tree is parsed lazily).
 */
public final class SigmaRecord {
    /** Each byte with ASCII letters lowercased (a table: mixed-case text defeats a branch per byte). */
    private static final byte[] LOWER = new byte[256];
    /** {@link #lowered} of a record with a {@code \\u} escape: its bytes cannot be scanned for literals. */
    private static final String UNSCANNABLE = new String("\\u");

    static {
        for (int i = 0; i < 256; i++) {
            LOWER[i] = (byte) (i >= 'A' && i <= 'Z' ? i + 32 : i);
        }
    }

    private final String eventSource;
    private final String eventName;
    private final Supplier<JsonNode> parse;
    private final byte[] raw;
    private JsonNode tree;
    private JsonNode selected;
    private CloudTrailEvent event;
    private JsonNode codecTree;
    private PathSelector selectedBy;
    private String lowered;

    private SigmaRecord(String eventSource, String eventName, JsonNode tree, Supplier<JsonNode> parse, byte[] raw) {
        this.eventSource = eventSource;
        this.eventName = eventName;
        this.tree = tree;
        this.parse = parse;
        this.raw = raw;
    }

    /** The record's JSON bytes when known (not to be modified), else null. */
    byte[] raw() {
        return raw;
    }

    /**
     * The raw bytes as a Latin-1 string with ASCII letters lowercased (other bytes as they are), made once: the
     * rules' prefilters look for their ASCII literals in it with the JDK's intrinsic {@code indexOf}. Null when
     * the bytes are not known, or hold a {@code \\u} escape (which may spell any character of a literal).
     */
    String lowered() {
        if (lowered == null && raw != null) {
            byte[] low = new byte[raw.length];
            for (int i = 0; i < low.length; i++) {
                low[i] = LOWER[raw[i] & 0xff];
            }
            String text = new String(low, java.nio.charset.StandardCharsets.ISO_8859_1);
            // a \\u escape may write any character of a literal: then the bytes cannot rule a literal out
            lowered = text.contains("\\u") ? UNSCANNABLE : text;
        }
        return lowered == UNSCANNABLE ? null : lowered;
    }

    /**
     * The record as far as {@code selector} reaches (parsed once from the bytes), or the whole tree when that is
     * already parsed or there are no bytes.
     */
    JsonNode selected(PathSelector selector) {
        if (tree != null || raw == null) {
            return tree();
        }
        if (selected == null || selectedBy != selector) {
            selected = selector.select(raw);
            selectedBy = selector;
        }
        return selected;
    }

    /** A record already parsed into a tree (a JSON object). */
    public static SigmaRecord of(JsonNode record) {
        Objects.requireNonNull(record, "record");
        return new SigmaRecord(text(record.get("eventSource")), text(record.get("eventName")), record, null, null);
    }

    /** A record parsed by the codec: its bytes are parsed into a tree only when a candidate rule needs them. */
    public static SigmaRecord of(CloudTrailEvent event) {
        Objects.requireNonNull(event, "event");
        SigmaRecord r = new SigmaRecord(event.eventSource(), event.eventName(), null, event::toTree,
                event.unsafeRawBytes());
        if (event.fieldsVerbatim()) {
            r.event = event;
        }
        return r;
    }

    /**
     * The tree of the codec's fields ({@link CodecFields}) when the record came from the codec with verbatim
     * fields and its whole tree is not parsed yet; else null (use {@link #selected} or {@link #tree}).
     */
    JsonNode codecTree(CodecFields fields) {
        if (event == null || tree != null) {
            return null;
        }
        if (codecTree == null) {
            codecTree = fields.tree(event);
        }
        return codecTree;
    }

    /**
     * A record from its JSON bytes.
     *
     * @throws MalformedEventException when the bytes are not a JSON object
     */
    public static SigmaRecord of(byte[] json) {
        try {
            JsonNode n = Json.MAPPER.readTree(json);
            if (n == null || !n.isObject()) {
                throw new MalformedEventException("not a JSON object");
            }
            return of(n);
        } catch (IOException e) {
            throw new MalformedEventException("not JSON: " + e.getMessage(), e);
        }
    }

    /** A record whose tree comes from {@code parse}, called at most once and only when a candidate rule needs it. */
    public static SigmaRecord lazy(String eventSource, String eventName, Supplier<JsonNode> parse) {
        return new SigmaRecord(eventSource, eventName, null, Objects.requireNonNull(parse, "parse"), null);
    }

    private static String text(JsonNode n) {
        return n != null && n.isTextual() ? n.textValue() : null;
    }

    /** The record's eventSource, or null. */
    public String eventSource() {
        return eventSource;
    }

    /** The record's eventName, or null. */
    public String eventName() {
        return eventName;
    }

    /** The whole record (parsed on first call). */
    public JsonNode tree() {
        if (tree == null) {
            tree = parse.get();
        }
        return tree;
    }
}
