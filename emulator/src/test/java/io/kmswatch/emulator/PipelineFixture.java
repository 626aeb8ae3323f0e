package io.kmswatch.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import io.kmswatch.emulator.api.Authorizer;
import io.kmswatch.emulator.api.OperationHandler;
import io.kmswatch.emulator.api.Services;
import io.kmswatch.emulator.crypto.CryptoCore;
import io.kmswatch.emulator.handler.Handlers;
import io.kmswatch.emulator.policy.PolicyEvaluator;
import io.kmswatch.emulator.sigv4.SigV4Verifier;
import io.kmswatch.emulator.state.InMemoryKeyStore;
import io.kmswatch.emulator.state.KeyIds;
import io.kmswatch.emulator.trail.CloudTrailEmitter;
import io.kmswatch.emulator.trail.TrailStore;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Json;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The emulator's request pipeline with everything real behind it (SigV4 verifier, identities from the default
 * configuration, the handlers, an in-memory key store, the CloudTrail emitter) and no socket: requests signed by the
 * SDK's own SigV4 signer go straight to {@link RequestPipeline#handle}. Keeps every CloudTrail record emitted and the
 * request meters.
 */
final class PipelineFixture {
    static final String ADMIN_KEY = EmulatorConfig.DEFAULT_ACCESS_KEY_ID;
    static final String ADMIN_SECRET = EmulatorConfig.DEFAULT_SECRET_ACCESS_KEY;
    static final String SOURCE_IP = "198.51.100.7";
    static final int MAX_BODY = 1024;
    private static final URI ENDPOINT = URI.create("http://127.0.0.1:4599/");

    final List<CloudTrailEvent> records = Collections.synchronizedList(new ArrayList<>());
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final RequestPipeline pipeline;

    PipelineFixture() {
        this(Handlers.all());
    }

    PipelineFixture(Map<String, OperationHandler<?, ?>> handlers) {
        EmulatorConfig config = EmulatorConfig.defaults();
        EmulatorClock clock = new EmulatorClock(Instant.parse("2026-03-02T08:00:00Z"), 1);
        Identities identities = new Identities(config, clock.instant());
        InMemoryKeyStore store = new InMemoryKeyStore();
        CloudTrailEmitter emitter = new CloudTrailEmitter(clock, new TrailStore(1000, clock), null, null);
        emitter.addListener(records::add);
        Services services = new Services(store, new CryptoCore(), new Authorizer(new PolicyEvaluator(), store), clock,
                identities, config.partition(), emitter, new ConcurrentHashMap<>(), KeyIds.seeded(7L));
        Set<String> operations = new HashSet<>(handlers.keySet());
        operations.add("LookupEvents");
        EmulatorMetrics metrics = new EmulatorMetrics(operations, store);
        metrics.bindTo(registry);
        emitter.addListener(event -> metrics.trailRecord());
        SigV4Verifier verifier = new SigV4Verifier(identities, Clock.systemUTC(), Duration.ofMinutes(5));
        pipeline = new RequestPipeline(services, handlers, verifier, metrics, config.accounts().get(0).id(),
                config.region(), MAX_BODY);
    }

    /** A POST signed with the SDK's signer, as the SDKs send it; {@code extra} headers are signed too. */
    static WireRequest signed(String target, String body, String accessKey, String secret, Map<String, String> extra) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest.Builder req = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(ENDPOINT)
                .putHeader("X-Amz-Target", target).putHeader("Content-Type", RequestPipeline.CONTENT_TYPE);
        extra.forEach(req::putHeader);
        SignedRequest s = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsBasicCredentials.create(accessKey, secret))
                .request(req.build()).payload(ContentStreamProvider.fromByteArray(bytes))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, target.startsWith("TrentService") ? "kms"
                        : "cloudtrail")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        Headers headers = new Headers();
        s.request().headers().forEach((k, vs) -> vs.forEach(v -> headers.add(k, v)));
        return new WireRequest("POST", "/", null, headers, SOURCE_IP, bytes);
    }

    /** A KMS or CloudTrail request signed by the default admin. */
    static WireRequest signed(String target, String body) {
        return signed(target, body, ADMIN_KEY, ADMIN_SECRET, Map.of());
    }

    static WireRequest unsigned(String method, String path, String target, String contentType, String body) {
        Headers headers = new Headers();
        if (target != null) {
            headers.add("X-Amz-Target", target);
        }
        if (contentType != null) {
            headers.add("Content-Type", contentType);
        }
        return new WireRequest(method, path, null, headers, SOURCE_IP, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Calls a KMS operation as the default admin. */
    WireResponse kms(String operation, String body) {
        return pipeline.handle(signed("TrentService." + operation, body));
    }

    /** Calls a KMS operation that must succeed and returns its answer. */
    JsonNode ok(String operation, String body) {
        WireResponse r = kms(operation, body);
        JsonNode json = json(r);
        if (r.status() != 200) {
            throw new AssertionError(operation + " answered " + r.status() + " " + json);
        }
        return json;
    }

    static JsonNode json(WireResponse r) {
        try {
            return Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    double count(String operation, String outcome) {
        var c = registry.find("kmswatch.emulator.requests").tag("operation", operation).tag("outcome", outcome)
                .counter();
        return c == null ? 0 : c.count();
    }
}
