package io.kmswatch.emulator;

import com.sun.net.httpserver.Headers;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * One HTTP request as the transport read it, whole, and as {@link RequestPipeline} answers it. The body is the
 * transport's own copy; it may hold a plaintext or data key in base64, so the pipeline zeroes it once answered
 * ({@link #clearBody}) and no copy of it outlives the request.
 */
final class WireRequest {
    private final String method;
    private final String rawPath;
    private final String rawQuery;
    private final Headers headers;
    private final String sourceIp;
    private final byte[] body;

    /**
     * @param method   the HTTP method, e.g. {@code POST}; never null
     * @param rawPath  the request path as sent, without the query; never null
     * @param rawQuery the query string without {@code ?}, or null when there is none
     * @param headers  the headers, case-insensitive; never null
     * @param sourceIp the client address; never null
     * @param body     the body bytes, owned by this request from now on; never null
     */
    WireRequest(String method, String rawPath, String rawQuery, Headers headers, String sourceIp, byte[] body) {
        this.method = Objects.requireNonNull(method, "method");
        this.rawPath = Objects.requireNonNull(rawPath, "rawPath");
        this.rawQuery = rawQuery;
        this.headers = Objects.requireNonNull(headers, "headers");
        this.sourceIp = Objects.requireNonNull(sourceIp, "sourceIp");
        this.body = Objects.requireNonNull(body, "body");
    }

    /** Splits {@code uri} into path and query. */
    static WireRequest of(String method, String uri, Headers headers, InetSocketAddress remote, byte[] body) {
        int q = uri.indexOf('?');
        return new WireRequest(method, q < 0 ? uri : uri.substring(0, q), q < 0 ? null : uri.substring(q + 1),
                headers, remote.getAddress().getHostAddress(), body);
    }

    String method() {
        return method;
    }

    String rawPath() {
        return rawPath;
    }

    String rawQuery() {
        return rawQuery;
    }

    Headers headers() {
        return headers;
    }

    /** The first value of a header (any case), or null. */
    String header(String name) {
        return headers.getFirst(name);
    }

    String sourceIp() {
        return sourceIp;
    }

    /** The body itself, not a copy: the pipeline reads it in place. */
    byte[] body() {
        return body;
    }

    void clearBody() {
        Arrays.fill(body, (byte) 0);
    }

    /** Method and path only: headers carry signatures and the body may carry a plaintext. */
    @Override
    public String toString() {
        return "WireRequest[" + method + " " + rawPath + ", " + body.length + " bytes]";
    }
}
