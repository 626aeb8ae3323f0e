package io.kmswatch.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
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
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The wire protocol: {@code POST /} with {@code X-Amz-Target: TrentService.<Op>} (or CloudTrail's
 * LookupEvents target) and an {@code application/x-amz-json-1.1} body. Each request goes SigV4 verification →
 * caller → handler → CloudTrail record → response; a KMS request refused on the way (bad or missing signature,
 * unknown access key, a forbidden via-service header) gets a CloudTrail record too, with its error. Errors are {@code {"__type","message"}} with AWS's status
 * (also in {@code x-amzn-ErrorType}); bad input never produces a 500 or a stack trace. Runs on Netty (HTTP/1.1
 * keep-alive, {@code threads} event loops): a request is read, handled and answered on the event loop of its
 * connection, with no hand-off between threads, and a busy loop stops reading its connections until it is done
 * (back-pressure instead of a queue). Connections idle for {@value #IDLE_SECONDS} s are closed.
 */
public final class KmsHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KmsHttpServer.class);
    public static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    /** Header with which a configured service principal says it calls on behalf of an AWS service. */
    public static final String VIA_SERVICE_HEADER = "X-Kmswatch-Via-Service";
    /** Seconds after which a connection with no request in flight is closed. */
    public static final int IDLE_SECONDS = 30;
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel channel;
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
        this.boss = new NioEventLoopGroup(1, new DefaultThreadFactory("kms-emulator-accept", true));
        this.workers = new NioEventLoopGroup(config.threads(), new DefaultThreadFactory("kms-emulator", true));
        ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 256)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS),
                                new HttpServerCodec(8192, MAX_HEADER_BYTES, 64 * 1024),
                                new Aggregator(maxBody), new RequestHandler());
                    }
                });
        ChannelFuture bound = b.bind(new InetSocketAddress(config.bind(), config.port())).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            shutdownGroups();
            Throwable cause = bound.cause();
            throw new IOException(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
        }
        this.channel = bound.channel();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** One HTTP request, as the operations read it. */
    private record Exchange(String method, String rawPath, String rawQuery, Headers headers,
                            InetSocketAddress remote, byte[] body) {
        String header(String name) {
            return headers.getFirst(name);
        }

        String sourceIp() {
            return remote.getAddress().getHostAddress();
        }
    }

    /** Reads each request whole, then hands it to {@link #exchange} on the same thread. */
    private final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            long started = System.nanoTime();
            Headers headers = new Headers();
            for (Map.Entry<String, String> h : req.headers()) {
                headers.add(h.getKey(), h.getValue());
            }
            String uri = req.uri();
            int q = uri.indexOf('?');
            ByteBuf content = req.content();
            byte[] body = new byte[content.readableBytes()];
            content.getBytes(content.readerIndex(), body);
            // the body may hold a plaintext or data key in base64: no copy of it outlives the request
            content.setZero(0, content.capacity());
            Exchange ex = new Exchange(req.method().name(), q < 0 ? uri : uri.substring(0, q),
                    q < 0 ? null : uri.substring(q + 1), headers, (InetSocketAddress) ctx.channel().remoteAddress(),
                    body);
            exchange(ctx, ex, HttpUtil.isKeepAlive(req), started);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent) {
                ctx.close();
            } else {
                super.userEventTriggered(ctx, evt);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("connection error from {}: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    /**
     * Collects a request's body up to the limit; a larger one is answered with KMS's 413 without being
     * read further (Netty drops the rest of its body and keeps a keep-alive connection usable).
     */
    private final class Aggregator extends HttpObjectAggregator {
        Aggregator(int maxBody) {
            super(maxBody);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            long started = System.nanoTime();
            String target = oversized.headers().get("X-Amz-Target");
            KmsServiceException e = tooLarge();
            boolean close = !HttpUtil.is100ContinueExpected(oversized) && !HttpUtil.isKeepAlive(oversized);
            write(ctx, UUID.randomUUID().toString(), e.code().httpStatus(), e.type(), errorBody(e.type(),
                    e.getMessage()), !close);
            metrics.request(operation(target), e.type(), Duration.ofNanos(System.nanoTime() - started));
        }

        /** A request that announced a too-large body and waits for 100 Continue gets KMS's 413 instead. */
        @Override
        protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
            if (HttpUtil.is100ContinueExpected(start) && HttpUtil.getContentLength(start, -1L) > maxContentLength) {
                start.headers().remove(HttpHeaderNames.EXPECT);
                KmsServiceException e = tooLarge();
                metrics.request(operation(start.headers().get("X-Amz-Target")), e.type(), Duration.ZERO);
                return response(UUID.randomUUID().toString(), e.code().httpStatus(), e.type(),
                        errorBody(e.type(), e.getMessage()), true);
            }
            return super.newContinueResponse(start, maxContentLength, pipeline);
        }
    }

    private static String operation(String target) {
        return target == null ? "unknown" : target.substring(target.lastIndexOf('.') + 1);
    }

    private void exchange(ChannelHandlerContext ctx, Exchange ex, boolean keepAlive, long started) {
        String requestId = UUID.randomUUID().toString();
        String target = ex.header("X-Amz-Target");
        String operation = operation(target);
        String outcome = "success";
        try {
            byte[] out = handle(ex, requestId, target);
            write(ctx, requestId, 200, null, out, keepAlive);
        } catch (KmsServiceException e) {
            outcome = e.type();
            write(ctx, requestId, e.code().httpStatus(), e.type(), errorBody(e.type(), e.getMessage()), keepAlive);
        } catch (IOException | RuntimeException e) {
            outcome = KmsErrorCode.KMS_INTERNAL.type();
            LOG.error("internal error answering {} (request {})", operation, requestId, e);
            write(ctx, requestId, 500, KmsErrorCode.KMS_INTERNAL.type(), errorBody(KmsErrorCode.KMS_INTERNAL.type(),
                    "The request was rejected because of an internal exception. Request id " + requestId), keepAlive);
        } finally {
            java.util.Arrays.fill(ex.body(), (byte) 0);
            metrics.request(operation, outcome, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** Writes a response; the body array is zeroed once written (it may hold a plaintext or data key). */
    private static void write(ChannelHandlerContext ctx, String requestId, int status, String errorType, byte[] body,
                              boolean keepAlive) {
        ctx.writeAndFlush(response(requestId, status, errorType, body, keepAlive))
                .addListener((ChannelFutureListener) f -> {
                    java.util.Arrays.fill(body, (byte) 0);
                    if (!keepAlive || !f.isSuccess()) {
                        f.channel().close();
                    }
                });
    }

    private static FullHttpResponse response(String requestId, int status, String errorType, byte[] body,
                                             boolean keepAlive) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                body.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE)
                .set("x-amzn-RequestId", requestId)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (errorType != null) {
            r.headers().set("x-amzn-ErrorType", errorType);
        }
        if (!keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return r;
    }

    private KmsServiceException tooLarge() {
        return new KmsServiceException(KmsErrorCode.REQUEST_TOO_LARGE,
                "Request body exceeds the limit of " + maxBody + " bytes.");
    }

    private byte[] handle(Exchange ex, String requestId, String target) throws IOException {
        byte[] body = ex.body();
        if (!"POST".equals(ex.method())) {
            if ("GET".equals(ex.method()) && "/health".equals(ex.rawPath())) {
                return "{\"status\":\"ok\"}".getBytes(StandardCharsets.US_ASCII);
            }
            throw new KmsServiceException(KmsErrorCode.UNKNOWN_OPERATION, "Only POST / is supported.");
        }
        if (target == null || target.isBlank()) {
            throw new KmsServiceException(KmsErrorCode.UNKNOWN_OPERATION, "Missing X-Amz-Target header.");
        }
        checkRouting(ex.headers());
        VerifiedRequest verified;
        try {
            verified = verifier.verify(new SignedRequest(ex.method(), ex.rawPath(), ex.rawQuery(), ex.headers(), body));
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
        String sourceIp = ex.sourceIp();
        String userAgent = ex.header("User-Agent");
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
        String via = ex.header(VIA_SERVICE_HEADER);
        if (via != null && !caller.viaServices().contains(via)) {
            String message = "User: " + caller.arn() + " is not configured as a service principal that may call "
                    + "through " + via;
            auditRefusal(ex, requestId, target, caller, KmsErrorCode.ACCESS_DENIED.type(), message);
            throw new KmsServiceException(KmsErrorCode.ACCESS_DENIED, message);
        }
        CallContext ctx = new CallContext(services, caller, region, requestId, now, sourceIp, userAgent, via,
                ex.header("Host"));
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
    private void auditRefusal(Exchange ex, String requestId, String target, Caller caller, String errorCode,
                              String errorMessage) {
        if (target == null || !target.startsWith("TrentService.")) {
            return;
        }
        try {
            Optional<ClaimedCredential> claim = ClaimedCredential.of(ex.headers());
            Caller owner = caller != null ? caller
                    : claim.flatMap(c -> services.identities().caller(c.accessKeyId())).orElse(null);
            String accessKeyId = caller != null ? caller.accessKeyId()
                    : claim.map(ClaimedCredential::accessKeyId).orElse(null);
            String region = claim.map(ClaimedCredential::region).orElse(null);
            OperationHandler<?, ?> handler = handlers.get(target.substring("TrentService.".length()));
            services.trail().emitRefusal(new RefusedRequest(handler == null ? "unknown" : handler.operation(),
                    handler != null && handler.readOnly(), owner, accessKeyId,
                    owner != null ? owner.accountId() : homeAccount, region != null ? region : defaultRegion,
                    ex.sourceIp(), ex.header("User-Agent"), ex.header("Host"), requestId, services.clock().instant(),
                    errorCode, ClaimedCredential.redact(errorMessage, ex.headers())));
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
    private static void checkRouting(Headers headers) {
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

    private static void once(Headers headers, String name, KmsErrorCode code) {
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

    private static byte[] errorBody(String type, String message) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("__type", type);
        if (message != null) {
            o.put("message", message);
        }
        try {
            return Json.MAPPER.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        shutdownGroups();
    }

    private void shutdownGroups() {
        var bossDone = boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(6, TimeUnit.SECONDS);
        bossDone.awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
