package io.kmswatch.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmswatch.emulator.api.CallContext;
import io.kmswatch.emulator.api.EmptyResponse;
import io.kmswatch.emulator.api.KeyIdRequest;
import io.kmswatch.emulator.api.OperationHandler;
import io.kmswatch.emulator.handler.Handlers;
import io.kmswatch.emulator.trail.LookupEventsHandler;
import io.kmswatch.events.CloudTrailEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request pipeline without a socket: requests signed by the SDK's own SigV4 signer go straight to
 * {@link RequestPipeline#handle}, which runs the real verifier, identities, handlers, key store and CloudTrail
 * emitter. What only the Netty server reached before (routing checks, refusal audit, error mapping, health,
 * LookupEvents, request metrics, the internal-error path) is checked here on the answer and on the records.
 */
class RequestPipelineTest {
    private static final String ADMIN_KEY = PipelineFixture.ADMIN_KEY;
    private static final String ADMIN_SECRET = PipelineFixture.ADMIN_SECRET;
    private static final String SOURCE_IP = PipelineFixture.SOURCE_IP;
    private static final int MAX_BODY = PipelineFixture.MAX_BODY;

    private final PipelineFixture fx = new PipelineFixture();
    private final RequestPipeline pipeline = fx.pipeline;
    private final List<CloudTrailEvent> records = fx.records;

    private static WireRequest signed(String target, String body, String accessKey, String secret,
                                      Map<String, String> extra) {
        return PipelineFixture.signed(target, body, accessKey, secret, extra);
    }

    private static WireRequest signed(String target, String body) {
        return PipelineFixture.signed(target, body);
    }

    private static WireRequest unsigned(String method, String path, String target, String contentType, String body) {
        return PipelineFixture.unsigned(method, path, target, contentType, body);
    }

    private static JsonNode json(WireResponse r) {
        return PipelineFixture.json(r);
    }

    private double count(String operation, String outcome) {
        return fx.count(operation, outcome);
    }

    @Test
    void shouldAnswerSignedCallAndCountIt() {
        WireResponse r = pipeline.handle(signed("TrentService.CreateKey", "{\"Description\":\"pipeline\"}"));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.errorType()).isNull();
        assertThat(r.requestId()).matches("[0-9a-f-]{36}");
        assertThat(json(r).path("KeyMetadata").path("Description").asText()).isEqualTo("pipeline");
        assertThat(records).singleElement().satisfies(e -> {
            assertThat(e.eventName()).isEqualTo("CreateKey");
            assertThat(e.requestId()).isEqualTo(r.requestId());
            assertThat(e.sourceIpAddress()).isEqualTo(SOURCE_IP);
            assertThat(e.userIdentity().accessKeyId()).isEqualTo(ADMIN_KEY);
            assertThat(e.errorCode()).isNull();
        });
        assertThat(count("CreateKey", "success")).isEqualTo(1);
    }

    @Test
    void shouldZeroRequestBodyOnceAnswered() {
        WireRequest request = signed("TrentService.GenerateRandom", "{\"NumberOfBytes\":16}");
        byte[] body = request.body();
        assertThat(body).containsSubsequence("NumberOfBytes".getBytes(StandardCharsets.US_ASCII));

        WireResponse r = pipeline.handle(request);

        assertThat(r.status()).isEqualTo(200);
        assertThat(body).containsOnly((byte) 0);
    }

    @Test
    void shouldAnswerHealthWithoutSignatureOrRecord() throws Exception {
        WireResponse r = pipeline.handle(unsigned("GET", "/health", null, null, ""));

        assertThat(r.status()).isEqualTo(200);
        assertThat(json(r).path("status").asText()).isEqualTo("ok");
        assertThat(records).isEmpty();
    }

    @Test
    void shouldRefuseOtherMethodsAndMissingTarget() throws Exception {
        WireResponse get = pipeline.handle(unsigned("GET", "/", "TrentService.ListKeys", RequestPipeline.CONTENT_TYPE,
                ""));
        WireResponse noTarget = pipeline.handle(unsigned("POST", "/", null, RequestPipeline.CONTENT_TYPE, "{}"));

        assertThat(get.status()).isEqualTo(400);
        assertThat(json(get).path("__type").asText()).isEqualTo("UnknownOperationException");
        assertThat(json(get).path("message").asText()).isEqualTo("Only POST / is supported.");
        assertThat(json(noTarget).path("message").asText()).isEqualTo("Missing X-Amz-Target header.");
        assertThat(noTarget.errorType()).isEqualTo("UnknownOperationException");
        assertThat(count("unknown", "UnknownOperationException")).isEqualTo(1);
    }

    @Test
    void shouldRouteByMediaTypeIgnoringParameters() throws Exception {
        WireResponse plain = pipeline.handle(unsigned("POST", "/", "TrentService.ListKeys", "text/plain", "{}"));
        WireResponse charset = pipeline.handle(signed("TrentService.ListKeys", "{}", ADMIN_KEY, ADMIN_SECRET,
                Map.of("Content-Type", "application/x-amz-json-1.1; charset=utf-8")));

        assertThat(json(plain).path("__type").asText()).isEqualTo("UnknownOperationException");
        assertThat(json(plain).path("message").asText()).isEqualTo(
                "Unsupported Content-Type 'text/plain'; the KMS JSON protocol takes application/x-amz-json-1.1.");
        assertThat(charset.status()).isEqualTo(200);
    }

    @Test
    void shouldRefuseRepeatedSigningHeader() throws Exception {
        WireRequest request = signed("TrentService.ListKeys", "{}");
        request.headers().add("X-Amz-Date", "20260302T080000Z");

        WireResponse r = pipeline.handle(request);

        assertThat(json(r).path("__type").asText()).isEqualTo("IncompleteSignatureException");
        assertThat(json(r).path("message").asText()).isEqualTo("The request has 2 'X-Amz-Date' headers; it must have one.");
    }

    @Test
    void shouldRecordUnsignedKmsRequestAsRefusalInHomeAccount() throws Exception {
        WireResponse r = pipeline.handle(unsigned("POST", "/", "TrentService.Decrypt", RequestPipeline.CONTENT_TYPE,
                "{\"CiphertextBlob\":\"AAAA\"}"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorType()).isEqualTo("MissingAuthenticationTokenException");
        assertThat(records).singleElement().satisfies(e -> {
            assertThat(e.eventName()).isEqualTo("Decrypt");
            assertThat(e.errorCode()).isEqualTo("MissingAuthenticationTokenException");
            assertThat(e.recipientAccountId()).isEqualTo(EmulatorConfig.DEFAULT_ACCOUNT);
            assertThat(e.userIdentity().type()).isEqualTo("Unknown");
            assertThat(e.requestId()).isEqualTo(r.requestId());
            assertThat(e.toTree().path("requestParameters").isNull()).isTrue();
        });
    }

    @Test
    void shouldRecordBadSignatureWithClaimedAccessKeyAndItsOwner() throws Exception {
        WireResponse r = pipeline.handle(signed("TrentService.ListKeys", "{}", ADMIN_KEY, "not-the-secret",
                Map.of()));

        assertThat(json(r).path("__type").asText()).isEqualTo("InvalidSignatureException");
        assertThat(records).singleElement().satisfies(e -> {
            assertThat(e.errorCode()).isEqualTo("InvalidSignatureException");
            assertThat(e.userIdentity().accessKeyId()).isEqualTo(ADMIN_KEY);
            assertThat(e.userIdentity().arn()).isEqualTo("arn:aws:iam::111122223333:user/admin");
            assertThat(e.rawJson()).doesNotContain("not-the-secret");
        });
    }

    @Test
    void shouldRefuseUnknownAccessKeyAndRecordItAsUnknownCaller() throws Exception {
        WireResponse r = pipeline.handle(signed("TrentService.ListKeys", "{}", "AKIAUNKNOWNEXAMPLE99", "whatever",
                Map.of()));

        assertThat(json(r).path("__type").asText()).isEqualTo("UnrecognizedClientException");
        assertThat(records).singleElement().satisfies(e -> {
            assertThat(e.userIdentity().type()).isEqualTo("Unknown");
            assertThat(e.userIdentity().accessKeyId()).isEqualTo("AKIAUNKNOWNEXAMPLE99");
            assertThat(e.recipientAccountId()).isEqualTo(EmulatorConfig.DEFAULT_ACCOUNT);
        });
    }

    @Test
    void shouldRefuseViaServiceClaimOfPrincipalNotConfiguredForIt() throws Exception {
        WireResponse r = pipeline.handle(signed("TrentService.ListKeys", "{}", ADMIN_KEY, ADMIN_SECRET,
                Map.of(RequestPipeline.VIA_SERVICE_HEADER, "s3.amazonaws.com")));

        assertThat(json(r).path("__type").asText()).isEqualTo("AccessDeniedException");
        assertThat(json(r).path("message").asText()).isEqualTo("User: arn:aws:iam::111122223333:user/admin is not "
                + "configured as a service principal that may call through s3.amazonaws.com");
        assertThat(records).singleElement().satisfies(e -> {
            assertThat(e.errorCode()).isEqualTo("AccessDeniedException");
            assertThat(e.userIdentity().arn()).isEqualTo("arn:aws:iam::111122223333:user/admin");
        });
    }

    @Test
    void shouldAnswerUnknownOperationWithoutMessage() throws Exception {
        WireResponse r = pipeline.handle(signed("TrentService.FlyToTheMoon", "{}"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(json(r).path("__type").asText()).isEqualTo("UnknownOperationException");
        assertThat(json(r).has("message")).isFalse();
        assertThat(records).isEmpty();
    }

    @Test
    void shouldNameTheMemberAndNeverTheValueOfABodyThatDoesNotBind() throws Exception {
        WireResponse notBase64 = pipeline.handle(signed("TrentService.Encrypt",
                "{\"KeyId\":\"alias/x\",\"Plaintext\":\"s3cr3t plaintext!\"}"));
        WireResponse wrongType = pipeline.handle(signed("TrentService.DescribeKey", "{\"KeyId\":{\"a\":1}}"));
        WireResponse notJson = pipeline.handle(signed("TrentService.ListKeys", "{\"Limit\":"));

        assertThat(json(notBase64).path("__type").asText()).isEqualTo("SerializationException");
        assertThat(json(notBase64).path("message").asText()).startsWith("Value at 'Plaintext' can not be converted")
                .doesNotContain("s3cr3t");
        assertThat(json(wrongType).path("message").asText()).isEqualTo("Value at 'KeyId' can not be converted to String");
        assertThat(json(notJson).path("message").asText()).startsWith("Malformed request body")
                .doesNotContain("io.kmswatch").doesNotContain("java.");
    }

    @Test
    void shouldAnswerInternalErrorWithRequestIdAndRecordIt() throws Exception {
        Map<String, OperationHandler<?, ?>> handlers = new HashMap<>(Handlers.all());
        handlers.put("DisableKey", new FailingHandler());
        PipelineFixture failingFx = new PipelineFixture(handlers);
        RequestPipeline failing = failingFx.pipeline;

        WireResponse r = failing.handle(signed("TrentService.DisableKey", "{\"KeyId\":\"1234abcd-12ab-34cd-56ef-1234567890ab\"}"));

        assertThat(r.status()).isEqualTo(500);
        assertThat(json(r).path("__type").asText()).isEqualTo("KMSInternalException");
        assertThat(json(r).path("message").asText()).endsWith("Request id " + r.requestId())
                .doesNotContain("boom");
        assertThat(failingFx.records).singleElement().satisfies(e -> {
            assertThat(e.eventName()).isEqualTo("DisableKey");
            assertThat(e.errorCode()).isEqualTo("KMSInternalException");
        });
        assertThat(failingFx.count("DisableKey", "KMSInternalException")).isEqualTo(1);
    }

    @Test
    void shouldServeLookupEventsWithoutRecordingIt() throws Exception {
        pipeline.handle(signed("TrentService.CreateKey", "{}"));

        WireResponse r = pipeline.handle(signed(LookupEventsHandler.TARGET, "{\"MaxResults\":5}"));
        WireResponse unsigned = pipeline.handle(unsigned("POST", "/", LookupEventsHandler.TARGET,
                RequestPipeline.CONTENT_TYPE, "{}"));

        assertThat(r.status()).isEqualTo(200);
        JsonNode events = json(r).path("Events");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).path("EventName").asText()).isEqualTo("CreateKey");
        assertThat(unsigned.errorType()).isEqualTo("MissingAuthenticationTokenException");
        assertThat(records).extracting(CloudTrailEvent::eventName).containsExactly("CreateKey");
        assertThat(count("LookupEvents", "success")).isEqualTo(1);
    }

    @Test
    void shouldAnswerTooLargeWithTheLimitAndCountIt() throws Exception {
        WireResponse r = pipeline.tooLarge("TrentService.Encrypt");

        assertThat(r.status()).isEqualTo(413);
        assertThat(r.errorType()).isEqualTo("RequestEntityTooLargeException");
        assertThat(json(r).path("message").asText()).isEqualTo("Request body exceeds the limit of " + MAX_BODY
                + " bytes.");
        assertThat(count("Encrypt", "RequestEntityTooLargeException")).isEqualTo(1);
    }

    /** A handler that fails as a bug would, to reach the internal-error path. */
    private static final class FailingHandler implements OperationHandler<KeyIdRequest, EmptyResponse> {
        @Override
        public String operation() {
            return "DisableKey";
        }

        @Override
        public Class<KeyIdRequest> requestType() {
            return KeyIdRequest.class;
        }

        @Override
        public EmptyResponse handle(KeyIdRequest request, CallContext ctx) {
            throw new IllegalStateException("boom");
        }
    }
}
