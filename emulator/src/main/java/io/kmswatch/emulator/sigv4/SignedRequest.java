package io.kmswatch.emulator.sigv4;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP request as it arrived on the wire, with everything SigV4 signs.
 *
 * @param method   the HTTP method, e.g. {@code POST}; never null
 * @param path     the raw request path as sent (still percent-encoded, e.g. {@code /} or {@code /a%20b});
 *                 null or empty means {@code /}
 * @param rawQuery the raw query string without {@code ?} (still percent-encoded), or null when there is none
 * @param headers  header name (any case) to its values in arrival order; never null. Names that differ only
 *                 by case are merged.
 * @param body     the request body bytes; null means empty. The record keeps its own copy.
 */
public record SignedRequest(String method, String path, String rawQuery, Map<String, List<String>> headers,
                            byte[] body) {

    public SignedRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(headers, "headers");
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body.clone();
    }

    /** A copy of the body, so that callers cannot alter what was verified. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedRequest other
                && method.equals(other.method)
                && Objects.equals(path, other.path)
                && Objects.equals(rawQuery, other.rawQuery)
                && headers.equals(other.headers)
                && Arrays.equals(body, other.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, path, rawQuery, headers, Arrays.hashCode(body));
    }

    /** Method, path and header names only: header values can carry signatures and tokens. */
    @Override
    public String toString() {
        return "SignedRequest[" + method + " " + (path == null ? "/" : path) + ", headers=" + headers.keySet()
                + ", body=" + body.length + " bytes]";
    }

    byte[] bodyNoCopy() {
        return body;
    }
}
