package io.kmswatch.emulator.sigv4;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Builds the SigV4 canonical request:
 *
 * <pre>
 * CanonicalRequest = Method "\n" CanonicalURI "\n" CanonicalQuery "\n"
 *                    *(name ":" value "\n") "\n"      ; one line per signed header, in SignedHeaders order
 *                    SignedHeaders "\n"                ; the lowercase names joined by ";"
 *                    HexSha256(body)
 * </pre>
 */
final class CanonicalRequest {

    private static final HexFormat HEX = HexFormat.of();
    private static final char[] UPPER_HEX = "0123456789ABCDEF".toCharArray();

    private CanonicalRequest() {
    }

    static String build(String method, String rawPath, String rawQuery, Map<String, List<String>> lowerCaseHeaders,
                        List<String> signedHeaders, byte[] body) {
        StringBuilder out = new StringBuilder(256);
        out.append(method).append('\n');
        out.append(canonicalUri(rawPath)).append('\n');
        out.append(canonicalQuery(rawQuery)).append('\n');
        for (String name : signedHeaders) {
            out.append(name).append(':').append(canonicalHeaderValue(lowerCaseHeaders.get(name))).append('\n');
        }
        out.append('\n');
        out.append(String.join(";", signedHeaders)).append('\n');
        out.append(HEX.formatHex(SigV4Verifier.sha256(body)));
        return out.toString();
    }

    /**
     * The path with dot segments removed and then URI-encoded once more, slashes kept: the SDKs sign the
     * already-encoded path encoded a second time for every service but S3.
     */
    static String canonicalUri(String rawPath) {
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        return encode(removeDotSegments(path), false);
    }

    private static String removeDotSegments(String path) {
        boolean trailingSlash = path.endsWith("/") && path.length() > 1;
        Deque<String> out = new ArrayDeque<>();
        String[] segments = path.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (!out.isEmpty()) {
                    out.removeLast();
                }
                continue;
            }
            if (segment.isEmpty() && i == segments.length - 1) {
                continue;
            }
            out.addLast(segment);
        }
        String joined = "/" + String.join("/", out);
        if (trailingSlash && !joined.endsWith("/")) {
            joined += "/";
        }
        return joined;
    }

    /** Parameters decoded, strictly re-encoded, and sorted by name then value (byte order). */
    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> params = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.add(new String[] {encode(decode(name), true), encode(decode(value), true)});
        }
        params.sort((a, b) -> {
            int byName = a[0].compareTo(b[0]);
            return byName != 0 ? byName : a[1].compareTo(b[1]);
        });
        StringBuilder out = new StringBuilder();
        for (String[] p : params) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(p[0]).append('=').append(p[1]);
        }
        return out.toString();
    }

    /** Values trimmed, inner runs of spaces collapsed to one, repeated headers joined by commas. */
    static String canonicalHeaderValue(List<String> values) {
        if (values == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(collapseSpaces(values.get(i) == null ? "" : values.get(i).strip()));
        }
        return out.toString();
    }

    private static String collapseSpaces(String value) {
        StringBuilder out = new StringBuilder(value.length());
        boolean lastWasSpace = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean space = c == ' ' || c == '\t';
            if (space) {
                if (!lastWasSpace) {
                    out.append(' ');
                }
            } else {
                out.append(c);
            }
            lastWasSpace = space;
        }
        return out.toString();
    }

    /** RFC 3986 encoding: only A–Z a–z 0–9 {@code - _ . ~} stay as they are (and {@code /} unless asked). */
    static String encode(String value, boolean encodeSlash) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            int c = b & 0xff;
            boolean unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~';
            if (unreserved || (c == '/' && !encodeSlash)) {
                out.append((char) c);
            } else {
                out.append('%').append(UPPER_HEX[c >> 4]).append(UPPER_HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    /** Percent-decoding only: a {@code +} stays a plus, as the SDKs encode a space as {@code %20}. */
    static String decode(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '%' && i + 2 < value.length()
                    && Character.digit(value.charAt(i + 1), 16) >= 0 && Character.digit(value.charAt(i + 2), 16) >= 0) {
                out.write(Character.digit(value.charAt(i + 1), 16) * 16 + Character.digit(value.charAt(i + 2), 16));
                i += 3;
            } else {
                int cp = value.codePointAt(i);
                byte[] raw = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                out.write(raw, 0, raw.length);
                i += Character.charCount(cp);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
