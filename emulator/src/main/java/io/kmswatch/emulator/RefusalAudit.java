package io.kmswatch.emulator;

import io.kmswatch.emulator.api.Caller;
import io.kmswatch.emulator.api.OperationHandler;
import io.kmswatch.emulator.api.Services;
import io.kmswatch.emulator.sigv4.ClaimedCredential;
import io.kmswatch.emulator.trail.RefusedRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;

/**
 * Records a KMS request refused before its operation ran (bad or missing signature, unknown access key, a
 * forbidden via-service claim) with the access key id it claimed, and that key's owner when known, so that
 * failed authentication reaches the trail and the pipeline like any failed call. Only {@code TrentService.*}
 * targets are recorded: the trail is a KMS trail, and the emulator does not record CloudTrail's own
 * LookupEvents either. A failure to record is logged and never changes the answer.
 */
final class RefusalAudit {
    private static final Logger LOG = LoggerFactory.getLogger(RefusalAudit.class);

    private final Services services;
    private final Map<String, OperationHandler<?, ?>> handlers;
    /** Receives the records of refusals that no configured principal can be held to (unknown access keys). */
    private final String homeAccount;
    private final String defaultRegion;

    RefusalAudit(Services services, Map<String, OperationHandler<?, ?>> handlers, String homeAccount,
                 String defaultRegion) {
        this.services = services;
        this.handlers = handlers;
        this.homeAccount = homeAccount;
        this.defaultRegion = defaultRegion;
    }

    /**
     * @param caller the verified principal (a via-service refusal), or null to look up the claimed key's owner
     */
    void record(WireRequest request, String requestId, String target, Caller caller, String errorCode,
                String errorMessage) {
        if (target == null || !target.startsWith(RequestPipeline.KMS_PREFIX)) {
            return;
        }
        try {
            Optional<ClaimedCredential> claim = ClaimedCredential.of(request.headers());
            Caller owner = caller != null ? caller
                    : claim.flatMap(c -> services.identities().caller(c.accessKeyId())).orElse(null);
            String accessKeyId = caller != null ? caller.accessKeyId()
                    : claim.map(ClaimedCredential::accessKeyId).orElse(null);
            String region = claim.map(ClaimedCredential::region).orElse(null);
            OperationHandler<?, ?> handler = handlers.get(target.substring(RequestPipeline.KMS_PREFIX.length()));
            services.trail().emitRefusal(new RefusedRequest(handler == null ? "unknown" : handler.operation(),
                    handler != null && handler.readOnly(), owner, accessKeyId,
                    owner != null ? owner.accountId() : homeAccount, region != null ? region : defaultRegion,
                    request.sourceIp(), request.header("User-Agent"), request.header("Host"), requestId,
                    services.clock().instant(), errorCode, ClaimedCredential.redact(errorMessage, request.headers())));
        } catch (RuntimeException e) {
            LOG.warn("cannot record the refused request {}: {}", requestId, e.toString());
        }
    }
}
