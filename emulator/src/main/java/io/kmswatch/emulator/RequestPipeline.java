package io.kmswatch.emulator;

import com.sun.net.httpserver.Headers;
import io.kmswatch.emulator.api.CallContext;
import io.kmswatch.emulator.api.Caller;
import io.kmswatch.emulator.api.KmsErrorCode;
import io.kmswatch.emulator.api.KmsServiceException;
import io.kmswatch.emulator.api.OperationHandler;
import io.kmswatch.emulator.api.Services;
import io.kmswatch.emulator.sigv4.SigV4Exception;
import io.kmswatch.emulator.sigv4.SigV4Verifier;
import io.kmswatch.emulator.sigv4.SignedRequest;
import io.kmswatch.emulator.sigv4.VerifiedRequest;
import io.kmswatch.emulator.trail.LookupEventsHandler;
import io.kmswatch.events.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Everything between the socket and a handler, with no socket: {@code GET /health}; the routing checks (method,
 * {@code Content-Type}, {@code X-Amz-Target}, repeated headers); SigV4 verification; the caller behind the access
 * key; CloudTrail's LookupEvents; dispatch to the KMS operation named by {@code TrentService.<Op>}; the
 * via-service check; the CloudTrail record of a KMS request refused on the way ({@link RefusalAudit}); and the
 * mapping of every outcome to AWS's error shape and status. Bad input never produces a 500 or a stack trace; an
 * unexpected exception is a 500 {@code KMSInternalException} naming the request id. Each request is counted in
 * {@link EmulatorMetrics} by operation and outcome. Thread-safe: the transport calls it from many threads.
 */
final class RequestPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(RequestPipeline.class);
    /** The one media type of the AWS JSON 1.1 protocol. */
    static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    /** Header with which a configured service principal says it calls on behalf of an AWS service. */
    static final String VIA_SERVICE_HEADER = "X-Kmswatch-Via-Service";
    static final String KMS_PREFIX = "TrentService.";
    private static final byte[] HEALTHY = "{\"status\":\"ok\"}".getBytes(StandardCharsets.US_ASCII);

    private final Services services;
    private final Map<String, OperationHandler<?, ?>> handlers;
    private final SigV4Verifier verifier;
    private final EmulatorMetrics metrics;
    private final LookupEventsHandler lookup;
    private final RefusalAudit audit;
    private final OperationInvoker invoker;
    private final int maxBody;

    /**
     * @param homeAccount   the account whose trail receives refusals no principal can be held to
     * @param defaultRegion the region of a refusal whose credential scope names none
     * @param maxBody       the body limit, named in the 413's message
     */
    RequestPipeline(Services services, Map<String, OperationHandler<?, ?>> handlers, SigV4Verifier verifier,
                    EmulatorMetrics metrics, String homeAccount, String defaultRegion, int maxBody) {
        this.services = services;
        this.handlers = Map.copyOf(handlers);
        this.verifier = verifier;
        this.metrics = metrics;
        this.lookup = new LookupEventsHandler(services.trail().store());
        this.audit = new RefusalAudit(services, this.handlers, homeAccount, defaultRegion);
        this.invoker = new OperationInvoker(services.trail());
        this.maxBody = maxBody;
    }

    static RequestPipeline create(EmulatorConfig config, Services services,
                                  Map<String, OperationHandler<?, ?>> handlers, SigV4Verifier verifier,
                                  EmulatorMetrics metrics) {
        return new RequestPipeline(services, handlers, verifier, metrics, config.accounts().get(0).id(),
                config.region(), config.maxBodyBytes());
    }

    /** The operation a target names, for metrics: the part after the last dot, or {@code unknown}. */
    static String operation(String target) {
        return target == null ? "unknown" : target.substring(target.lastIndexOf('.') + 1);
    }

    /** Answers one request; never throws. The request's body is zeroed on return. */
    WireResponse handle(WireRequest request) {
        long started = System.nanoTime();
        String requestId = UUID.randomUUID().toString();
        String target = request.header("X-Amz-Target");
        String outcome = "success";
        try {
            return WireResponse.ok(requestId, answer(request, requestId, target));
        } catch (KmsServiceException e) {
            outcome = e.type();
            return WireResponse.error(requestId, e);
        } catch (IOException | RuntimeException e) {
            outcome = KmsErrorCode.KMS_INTERNAL.type();
            LOG.error("internal error answering {} (request {})", operation(target), requestId, e);
            return WireResponse.error(requestId, KmsErrorCode.KMS_INTERNAL.httpStatus(),
                    KmsErrorCode.KMS_INTERNAL.type(),
                    "The request was rejected because of an internal exception. Request id " + requestId);
        } finally {
            request.clearBody();
            metrics.request(operation(target), outcome, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** KMS's 413 for a body over the limit, which the transport did not read; counted like any answer. */
    WireResponse tooLarge(String target) {
        long started = System.nanoTime();
        KmsServiceException e = new KmsServiceException(KmsErrorCode.REQUEST_TOO_LARGE,
                "Request body exceeds the limit of " + maxBody + " bytes.");
        WireResponse r = WireResponse.error(UUID.randomUUID().toString(), e);
        metrics.request(operation(target), e.type(), Duration.ofNanos(System.nanoTime() - started));
        return r;
    }

    private byte[] answer(WireRequest request, String requestId, String target) throws IOException {
        if (!"POST".equals(request.method())) {
            if ("GET".equals(request.method()) && "/health".equals(request.rawPath())) {
                return HEALTHY.clone();
            }
            throw new KmsServiceException(KmsErrorCode.UNKNOWN_OPERATION, "Only POST / is supported.");
        }
        if (target == null || target.isBlank()) {
            throw new KmsServiceException(KmsErrorCode.UNKNOWN_OPERATION, "Missing X-Amz-Target header.");
        }
        checkRouting(request.headers());
        VerifiedRequest verified;
        try {
            verified = verifier.verify(new SignedRequest(request.method(), request.rawPath(), request.rawQuery(),
                    request.headers(), request.body()));
        } catch (SigV4Exception e) {
            audit.record(request, requestId, target, null, e.awsErrorType(), e.getMessage());
            throw new KmsServiceException(authCode(e), e.awsErrorType(), e.getMessage());
        }
        Optional<Caller> known = services.identities().caller(verified.accessKeyId());
        if (known.isEmpty()) {
            String message = "The security token included in the request is invalid.";
            audit.record(request, requestId, target, null, KmsErrorCode.UNRECOGNIZED_CLIENT.type(), message);
            throw new KmsServiceException(KmsErrorCode.UNRECOGNIZED_CLIENT, message);
        }
        Caller caller = known.get();
        if (LookupEventsHandler.TARGET.equals(target)) {
            return Json.MAPPER.writeValueAsBytes(lookup.handle(WireJson.parseObject(request.body()), caller,
                    verified.region()));
        }
        OperationHandler<?, ?> handler = target.startsWith(KMS_PREFIX)
                ? handlers.get(target.substring(KMS_PREFIX.length())) : null;
        if (handler == null) {
            throw new KmsServiceException(KmsErrorCode.UNKNOWN_OPERATION, null);
        }
        String via = request.header(VIA_SERVICE_HEADER);
        if (via != null && !caller.viaServices().contains(via)) {
            String message = "User: " + caller.arn() + " is not configured as a service principal that may call "
                    + "through " + via;
            audit.record(request, requestId, target, caller, KmsErrorCode.ACCESS_DENIED.type(), message);
            throw new KmsServiceException(KmsErrorCode.ACCESS_DENIED, message);
        }
        CallContext ctx = new CallContext(services, caller, verified.region(), requestId, services.clock().instant(),
                request.sourceIp(), request.header("User-Agent"), via, request.header("Host"));
        return invoker.invoke(handler, ctx, request.body());
    }

    /**
     * The checks before the signature: the AWS JSON 1.1 protocol routes a request by {@code Content-Type}
     * and {@code X-Amz-Target} together ("Content-Type: required, static value application/x-amz-json-1.1",
     * https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html; parameters such as a charset are
     * ignored), so another media type names no operation: {@code UnknownOperationException}, as AWS's JSON
     * services answer it. A routing or signing header given twice is refused rather than read by its first
     * value, since a proxy joining the values and this server would then see different requests.
     */
    static void checkRouting(Headers headers) {
        once(headers, "X-Amz-Target", KmsErrorCode.UNKNOWN_OPERATION);
        once(headers, "Content-Type", KmsErrorCode.UNKNOWN_OPERATION);
        String contentType = headers.getFirst("Content-Type");
        String mediaType = contentType == null ? null : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!CONTENT_TYPE.equals(mediaType)) {
            throw new KmsServiceException(KmsErrorCode.UNKNOWN_OPERATION, (contentType == null
                    ? "Missing Content-Type header"
                    : "Unsupported Content-Type '" + truncate(contentType, 100) + "'")
                    + "; the KMS JSON protocol takes " + CONTENT_TYPE + ".");
        }
        for (String h : List.of("Authorization", "X-Amz-Date", "X-Amz-Security-Token")) {
            once(headers, h, KmsErrorCode.INCOMPLETE_SIGNATURE);
        }
    }

    private static void once(Headers headers, String name, KmsErrorCode code) {
        List<String> values = headers.get(name);
        if (values != null && values.size() > 1) {
            throw new KmsServiceException(code, "The request has " + values.size() + " '" + name
                    + "' headers; it must have one.");
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
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
}
