package io.kmswatch.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kmswatch.emulator.api.ApiJson;
import io.kmswatch.emulator.api.CallContext;
import io.kmswatch.emulator.api.Caller;
import io.kmswatch.emulator.api.KmsErrorCode;
import io.kmswatch.emulator.api.KmsServiceException;
import io.kmswatch.emulator.api.OperationHandler;
import io.kmswatch.emulator.api.Services;
import io.kmswatch.emulator.sigv4.ClaimedCredential;
import io.kmswatch.emulator.sigv4.SigV4Exception;
import io.kmswatch.emulator.sigv4.SigV4Verifier;
import io.kmswatch.emulator.sigv4.SignedRequest;
import io.kmswatch.emulator.sigv4.VerifiedRequest;
import io.kmswatch.emulator.trail.LookupEventsHandler;
import io.kmswatch.emulator.trail.RefusedRequest;
import io.kmswatch.events.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The wire protocol: {@code POST /} with {@code X-Amz-Target: TrentService.<Op>} (or CloudTrail's
 * LookupEvents target) and an {@code application/x-amz-json-1.1} body. Each request goes SigV4 verification →
 * caller → handler → CloudTrail record → response; a KMS request refused on the way (bad or missing signature,
 * unknown access key, a forbidden via-service header) gets a CloudTrail record too, with its error. Errors are {@code {"__type","message"}} with AWS's status
 * (also in {@code x-amzn-ErrorType}); bad input never produces a 500 or a stack trace. Runs on the JDK
 * {@link HttpServer} (HTTP/1.1 keep-alive) with a bounded thread pool; when the queue is full the accepting
 * thread runs the request itself, which slows accepting down instead of dropping connections.
 */
public final class KmsHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KmsHttpServer.class);
    public static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    /** Header with which a configured service principal says it calls on behalf of an AWS service. */
    public static final String VIA_SERVICE_HEADER = "X-Kmswatch-Via-Service";
    private static final long DRAIN_LIMIT = 64L * 1024 * 1024;

    static {
        // The JDK server writes the status line, headers and body in separate segments; without TCP_NODELAY
        // Nagle's algorithm and the client's delayed ACK add up to 40 ms to every keep-alive response. The JDK
        // reads this property once, when its first HttpServer is created, so set it before that unless the
        // operator chose otherwise.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ThreadPoolExecutor pool;
    private final Services services;
    private final Map<String, OperationHandler<?, ?>> handlers;
    private final SigV4Verifier verifier;
    private final EmulatorMetrics metrics;
    private final LookupEventsHandler lookup;
    private final int maxBody;
    /** Receives the records of refusals that no configured principal can be held to (unknown access keys). */
    private final String homeAccount;
    private final String defaultRegion;

    KmsHttpServer(EmulatorConfig config, Services services, Map<String, OperationHandler<?, ?>> handlers,
                  SigV4Verifier verifier, EmulatorMetrics metrics) throws IOException {
        this.services = services;
        this.handlers = Map.copyOf(handlers);
        this.verifier = verifier;
        this.metrics = metrics;
        this.lookup = new LookupEventsHandler(services.trail().store());
        this.maxBody = config.maxBodyBytes();
        this.homeAccount = config.accounts().get(0).id();
        this.defaultRegion = config.region();
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(config.threads(), config.threads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(4096), r -> {
                    Thread t = new Thread(r, "kms-emulator-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        this.server = HttpServer.create(new InetSocketAddress(config.bind(), config.port()), 256);
        server.setExecutor(pool);
        server.createContext("/", this::exchange);
        server.start();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void exchange(HttpExchange ex) {
        long started = System.nanoTime();
        String requestId = UUID.randomUUID().toString();
        String operation = "unknown";
        String outcome = "success";
        try (ex) {
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            if (target != null) {
                operation = target.substring(target.lastIndexOf('.') + 1);
            }
            try {
                byte[] body = readBody(ex);
                byte[] out = handle(ex, requestId, target, body);
                try {
                    respond(ex, requestId, 200, out);
                } finally {
                    // The body may hold a plaintext or data key in base64.
                    java.util.Arrays.fill(out, (byte) 0);
                    java.util.Arrays.fill(body, (byte) 0);
                }
            } catch (KmsServiceException e) {
                outcome = e.type();
                respondError(ex, requestId, e.code().httpStatus(), e.type(), e.getMessage());
            } catch (RuntimeException e) {
                outcome = KmsErrorCode.KMS_INTERNAL.type();
                LOG.error("internal error answering {} (request {})", operation, requestId, e);
                respondError(ex, requestId, 500, KmsErrorCode.KMS_INTERNAL.type(),
                        "The request was rejected because of an internal exception. Request id " + requestId);
            }
        } catch (IOException e) {
            outcome = "io_error";
            LOG.debug("connection error on request {}: {}", requestId, e.toString());
        } finally {
            metrics.request(operation, outcome, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private byte[] readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(maxBody + 1);
            if (body.length > maxBody) {
                // Read (and drop) what the client is still sending, up to a bound, so that it gets to read the
                // 413 instead of a reset connection; past the bound the connection is closed.
                byte[] sink = new byte[16 * 1024];
                long drained = 0;
                int n;
                while (drained < DRAIN_LIMIT && (n = in.read(sink)) > 0) {
                    drained += n;
                }
                ex.getResponseHeaders().set("Connection", "close");
                throw tooLarge();
            }
            return body;
        }
    }

    private KmsServiceException tooLarge() {
        return new KmsServiceException(KmsErrorCode.REQUEST_TOO_LARGE,
                "Request body exceeds the limit of " + maxBody + " bytes.");
    }

    private byte[] handle(HttpExchange ex, String requestId, String target, byte[] body) throws IOException {
        if (!"POST".equals(ex.getRequestMethod())) {
            if ("GET".equals(ex.getRequestMethod()) && "/health".equals(ex.getRequestURI().getPath())) {
                return "{\"status\":\"ok\"}".getBytes(StandardCharsets.US_ASCII);
            }
            throw new KmsServiceException(KmsErrorCode.UNKNOWN_OPERATION, "Only POST / is supported.");
        }
        if (target == null || target.isBlank()) {
            throw new KmsServiceException(KmsErrorCode.UNKNOWN_OPERATION, "Missing X-Amz-Target header.");
        }
        checkRouting(ex.getRequestHeaders());
        VerifiedRequest verified;
        try {
            verified = verifier.verify(new SignedRequest(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
                    ex.getRequestURI().getRawQuery(), ex.getRequestHeaders(), body));
        } catch (SigV4Exception e) {
            auditRefusal(ex, requestId, target, null, e.awsErrorType(), e.getMessage());
            throw new KmsServiceException(authCode(e), e.awsErrorType(), e.getMessage());
        }
        Optional<Caller> known = services.identities().caller(verified.accessKeyId());
        if (known.isEmpty()) {
            String message = "The security token included in the request is invalid.";
            auditRefusal(ex, requestId, target, null, KmsErrorCode.UNRECOGNIZED_CLIENT.type(), message);
            throw new KmsServiceException(KmsErrorCode.UNRECOGNIZED_CLIENT, message);
        }
        Caller caller = known.get();
        String region = verified.region();
        String sourceIp = ex.getRemoteAddress().getAddress().getHostAddress();
        String userAgent = ex.getRequestHeaders().getFirst("User-Agent");
        Instant now = services.clock().instant();

        if (LookupEventsHandler.TARGET.equals(target)) {
            JsonNode tree = parseTree(body);
            return Json.MAPPER.writeValueAsBytes(lookup.handle(tree, caller, region));
        }
        if (!target.startsWith("TrentService.")) {
            throw new KmsServiceException(KmsErrorCode.UNKNOWN_OPERATION, null);
        }
        OperationHandler<?, ?> handler = handlers.get(target.substring("TrentService.".length()));
        if (handler == null) {
            throw new KmsServiceException(KmsErrorCode.UNKNOWN_OPERATION, null);
        }
        String via = ex.getRequestHeaders().getFirst(VIA_SERVICE_HEADER);
        if (via != null && !caller.viaServices().contains(via)) {
            String message = "User: " + caller.arn() + " is not configured as a service principal that may call "
                    + "through " + via;
            auditRefusal(ex, requestId, target, caller, KmsErrorCode.ACCESS_DENIED.type(), message);
            throw new KmsServiceException(KmsErrorCode.ACCESS_DENIED, message);
        }
        CallContext ctx = new CallContext(services, caller, region, requestId, now, sourceIp, userAgent, via,
                ex.getRequestHeaders().getFirst("Host"));
        return invoke(handler, ctx, body);
    }

    /**
     * Records a KMS request refused before its operation ran, with the access key id it claimed (and that key's
     * owner when known), so that failed authentication reaches the trail and the pipeline like any failed call.
     * Only {@code TrentService.*} targets are recorded: the trail is a KMS trail, and the emulator does not
     * record CloudTrail's own LookupEvents either. A failure to record is logged and never changes the answer.
     *
     * @param caller the verified principal (a via-service refusal), or null to look up the claimed key's owner
     */
    private void auditRefusal(HttpExchange ex, String requestId, String target, Caller caller, String errorCode,
                              String errorMessage) {
        if (target == null || !target.startsWith("TrentService.")) {
            return;
        }
        try {
            Optional<ClaimedCredential> claim = ClaimedCredential.of(ex.getRequestHeaders());
            Caller owner = caller != null ? caller
                    : claim.flatMap(c -> services.identities().caller(c.accessKeyId())).orElse(null);
            String accessKeyId = caller != null ? caller.accessKeyId()
                    : claim.map(ClaimedCredential::accessKeyId).orElse(null);
            String region = claim.map(ClaimedCredential::region).orElse(null);
            OperationHandler<?, ?> handler = handlers.get(target.substring("TrentService.".length()));
            services.trail().emitRefusal(new RefusedRequest(handler == null ? "unknown" : handler.operation(),
                    handler != null && handler.readOnly(), owner, accessKeyId,
                    owner != null ? owner.accountId() : homeAccount, region != null ? region : defaultRegion,
                    ex.getRemoteAddress().getAddress().getHostAddress(), ex.getRequestHeaders().getFirst("User-Agent"),
                    ex.getRequestHeaders().getFirst("Host"), requestId, services.clock().instant(), errorCode,
                    ClaimedCredential.redact(errorMessage, ex.getRequestHeaders())));
            metrics.trailRecord();
        } catch (RuntimeException e) {
            LOG.warn("cannot record the refused request {}: {}", requestId, e.toString());
        }
    }

    /**
     * The checks before the signature: the AWS JSON 1.1 protocol routes a request by {@code Content-Type}
     * and {@code X-Amz-Target} together ("Content-Type: required, static value application/x-amz-json-1.1",
     * https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html; parameters such as a charset are
     * ignored), so another media type names no operation: {@code UnknownOperationException}, as AWS's JSON
     * services answer it. A routing or signing header given twice is refused rather than read by its first
     * value, since a proxy joining the values and this server would then see different requests.
     */
    private static void checkRouting(com.sun.net.httpserver.Headers headers) {
        once(headers, "X-Amz-Target", KmsErrorCode.UNKNOWN_OPERATION);
        once(headers, "Content-Type", KmsErrorCode.UNKNOWN_OPERATION);
        String contentType = headers.getFirst("Content-Type");
        String mediaType = contentType == null ? null
                : contentType.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        if (!CONTENT_TYPE.equals(mediaType)) {
            throw new KmsServiceException(KmsErrorCode.UNKNOWN_OPERATION, (contentType == null
                    ? "Missing Content-Type header"
                    : "Unsupported Content-Type '" + truncate(contentType, 100) + "'")
                    + "; the KMS JSON protocol takes " + CONTENT_TYPE + ".");
        }
        for (String h : java.util.List.of("Authorization", "X-Amz-Date", "X-Amz-Security-Token")) {
            once(headers, h, KmsErrorCode.INCOMPLETE_SIGNATURE);
        }
    }

    private static void once(com.sun.net.httpserver.Headers headers, String name, KmsErrorCode code) {
        java.util.List<String> values = headers.get(name);
        if (values != null && values.size() > 1) {
            throw new KmsServiceException(code, "The request has " + values.size() + " '" + name
                    + "' headers; it must have one.");
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }

    private <Q, S> byte[] invoke(OperationHandler<Q, S> handler, CallContext ctx, byte[] body) throws IOException {
        Q request = parse(body, handler.requestType());
        S response;
        try {
            response = handler.handle(request, ctx);
        } catch (KmsServiceException e) {
            emit(ctx, handler, request, null, e.type(), e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            emit(ctx, handler, request, null, KmsErrorCode.KMS_INTERNAL.type(), "internal error");
            throw e;
        }
        emit(ctx, handler, request, response, null, null);
        try {
            return ApiJson.WIRE.writeValueAsBytes(response);
        } finally {
            clearBlobs(request);
            clearBlobs(response);
        }
    }

    /** Zeroes the Blob members (plaintexts, data keys, messages) of a request or response record once used. */
    private static void clearBlobs(Object record) {
        if (record == null || !record.getClass().isRecord()) {
            return;
        }
        for (java.lang.reflect.RecordComponent c : record.getClass().getRecordComponents()) {
            if (c.getType() == io.kmswatch.emulator.api.Blob.class) {
                try {
                    Object v = c.getAccessor().invoke(record);
                    if (v != null) {
                        ((io.kmswatch.emulator.api.Blob) v).clear();
                    }
                } catch (ReflectiveOperationException e) {
                    LOG.debug("cannot clear {}: {}", c.getName(), e.toString());
                }
            }
        }
    }

    private <Q, S> void emit(CallContext ctx, OperationHandler<Q, S> handler, Q request, S response,
                             String errorCode, String errorMessage) {
        JsonNode params;
        JsonNode elements = null;
        try {
            params = handler.requestParameters(request);
            if (response != null) {
                elements = handler.responseElements(request, response);
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot render trail parameters of {}: {}", handler.operation(), e.toString());
            params = null;
        }
        int n = services.trail().emitApiCall(ctx, handler.operation(), handler.readOnly(), params, elements,
                errorCode, errorMessage).size();
        for (int i = 0; i < n; i++) {
            metrics.trailRecord();
        }
    }

    private static <Q> Q parse(byte[] body, Class<Q> type) {
        try {
            Q q = ApiJson.WIRE.readValue(body.length == 0 ? "{}".getBytes(StandardCharsets.US_ASCII) : body, type);
            if (q == null) {
                throw new KmsServiceException(KmsErrorCode.SERIALIZATION, "Start of structure or map found where not expected.");
            }
            return q;
        } catch (KmsServiceException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new KmsServiceException(KmsErrorCode.SERIALIZATION, serializationMessage(e));
        }
    }

    private static JsonNode parseTree(byte[] body) {
        try {
            JsonNode n = ApiJson.WIRE.readTree(body.length == 0 ? "{}".getBytes(StandardCharsets.US_ASCII) : body);
            if (n == null || !n.isObject()) {
                throw new KmsServiceException(KmsErrorCode.SERIALIZATION, "Expected a JSON object.");
            }
            return n;
        } catch (IOException e) {
            throw new KmsServiceException(KmsErrorCode.SERIALIZATION, serializationMessage(e));
        }
    }

    private static String serializationMessage(Exception e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException jme
                && jme.getCause() instanceof IllegalArgumentException bad && !jme.getPath().isEmpty()) {
            // a member that does not convert (a blob that is not base64): name the member, never echo the value
            String member = jme.getPath().get(jme.getPath().size() - 1).getFieldName();
            return "Value at '" + member + "' can not be converted: " + bad.getMessage();
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mie && !mie.getPath().isEmpty()
                && mie.getTargetType() != null && mie.getPath().get(mie.getPath().size() - 1).getFieldName() != null) {
            // a member of the wrong JSON type, in the words KMS uses ("... can not be converted to a String")
            String member = mie.getPath().get(mie.getPath().size() - 1).getFieldName();
            Class<?> t = mie.getTargetType();
            String type = Map.class.isAssignableFrom(t) ? "Map"
                    : java.util.Collection.class.isAssignableFrom(t) ? "List" : t.getSimpleName();
            return "Value at '" + member + "' can not be converted to " + type;
        }
        if (e instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException) {
            return "Malformed request body: JSON nested deeper than the 64 levels accepted";
        }
        // Jackson messages name our classes and positions; keep only the first line, without class names.
        String m = e.getMessage() == null ? "" : e.getMessage().split("\n", 2)[0];
        m = m.replaceAll("`?io\\.kmswatch\\.[\\w.$]+`?", "structure").replaceAll("`?java\\.[\\w.$]+`?", "value");
        return m.isBlank() ? "Malformed request body." : "Malformed request body: " + m;
    }

    private static KmsErrorCode authCode(SigV4Exception e) {
        return switch (e.code()) {
            case MISSING_AUTHENTICATION_TOKEN -> KmsErrorCode.MISSING_AUTHENTICATION_TOKEN;
            case INCOMPLETE_SIGNATURE -> KmsErrorCode.INCOMPLETE_SIGNATURE;
            case UNRECOGNIZED_CLIENT -> KmsErrorCode.UNRECOGNIZED_CLIENT;
            case INVALID_SIGNATURE -> KmsErrorCode.INVALID_SIGNATURE;
            case SIGNATURE_EXPIRED -> KmsErrorCode.SIGNATURE_EXPIRED;
        };
    }

    private static void respond(HttpExchange ex, String requestId, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        ex.getResponseHeaders().set("x-amzn-RequestId", requestId);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void respondError(HttpExchange ex, String requestId, int status, String type, String message)
            throws IOException {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("__type", type);
        if (message != null) {
            o.put("message", message);
        }
        ex.getResponseHeaders().set("x-amzn-ErrorType", type);
        respond(ex, requestId, status, Json.MAPPER.writeValueAsBytes(o));
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdown();
        try {
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        }
    }

}
