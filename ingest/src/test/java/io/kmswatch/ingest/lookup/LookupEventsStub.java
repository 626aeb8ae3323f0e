package io.kmswatch.ingest.lookup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny CloudTrail LookupEvents endpoint (AWS JSON 1.1, {@code X-Amz-Target:
 * CloudTrail_20131101.LookupEvents}) over a list of records: newest first, StartTime filter,
 * MaxResults pages, opaque NextTokens bound to the request parameters they were issued for (a token
 * replayed with other parameters is refused, as AWS does), injectable throttling, forgettable tokens.
 * Records every request body. Signatures are not checked.
 */
final class LookupEventsStub implements AutoCloseable {
    private final HttpServer server;
    private final List<String> records = new CopyOnWriteArrayList<>();
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Issued> tokens = new ConcurrentHashMap<>();
    private final AtomicInteger throttleNext = new AtomicInteger();
    private final AtomicInteger seq = new AtomicInteger();

    private record Issued(String params, int offset) {
    }

    LookupEventsStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void add(String recordJson) {
        records.add(recordJson);
    }

    /** The next {@code n} requests get ThrottlingException. */
    void throttle(int n) {
        throttleNext.set(n);
    }

    /** Forgets every issued NextToken (they expire). */
    void forgetTokens() {
        tokens.clear();
    }

    List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange ex) throws IOException {
        JsonNode req = Json.MAPPER.readTree(ex.getRequestBody().readAllBytes());
        String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
        if (target == null || !target.endsWith("CloudTrail_20131101.LookupEvents")) {
            error(ex, 400, "UnknownOperationException", "unexpected target " + target);
            return;
        }
        requests.add(req);
        if (throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            error(ex, 400, "ThrottlingException", "Rate exceeded");
            return;
        }
        ObjectNode params = ((ObjectNode) req.deepCopy());
        params.remove("NextToken");
        String p = params.toString();
        int offset = 0;
        if (req.hasNonNull("NextToken")) {
            Issued issued = tokens.get(req.get("NextToken").asText());
            if (issued == null) {
                error(ex, 400, "InvalidNextTokenException", "Invalid NextToken");
                return;
            }
            if (!issued.params().equals(p)) {
                error(ex, 400, "InvalidNextTokenException", "NextToken used with different parameters");
                return;
            }
            offset = issued.offset();
        }
        Instant start = req.hasNonNull("StartTime") ? Instant.ofEpochMilli((long) (req.get("StartTime").asDouble() * 1000))
                : Instant.EPOCH;
        int max = req.path("MaxResults").asInt(50);
        List<String> ordered = new ArrayList<>();
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            CloudTrailEvent e = parseOrNull(records.get(i));
            if (e == null || !e.eventTime().isBefore(start)) {
                idx.add(i);
            }
        }
        idx.sort(Comparator.comparing((Integer i) -> {
            CloudTrailEvent e = parseOrNull(records.get(i));
            return e == null ? Instant.MAX : e.eventTime();
        }).reversed().thenComparing(i -> i));
        idx.forEach(i -> ordered.add(records.get(i)));
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode events = out.putArray("Events");
        int end = Math.min(ordered.size(), offset + max);
        for (int i = offset; i < end; i++) {
            String r = ordered.get(i);
            CloudTrailEvent e = parseOrNull(r);
            ObjectNode ev = events.addObject();
            ev.put("EventId", e == null ? "bad-" + i : e.eventId());
            ev.put("EventName", e == null ? "?" : e.eventName());
            ev.put("EventTime", e == null ? 0 : e.eventTime().getEpochSecond());
            ev.put("EventSource", "kms.amazonaws.com");
            ev.put("CloudTrailEvent", r);
        }
        if (end < ordered.size()) {
            String token = "tok-" + seq.incrementAndGet();
            tokens.put(token, new Issued(p, end));
            out.put("NextToken", token);
        }
        respond(ex, 200, out.toString());
    }

    private static CloudTrailEvent parseOrNull(String r) {
        try {
            return CloudTrailEvent.parse(r);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void error(HttpExchange ex, int status, String type, String message) throws IOException {
        respond(ex, status, "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}");
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        ex.getResponseHeaders().add("x-amzn-RequestId", "stub-" + System.nanoTime());
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
