package io.kmswatch.emulator.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kmswatch.emulator.state.Alias;
import io.kmswatch.emulator.state.Grant;
import io.kmswatch.emulator.state.KmsKey;
import io.kmswatch.events.Json;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One request in flight: who called, from where, in which region, at what emulator time; the services; and what
 * the handler found out that the CloudTrail record needs (the keys involved, additional event data). Not
 * thread-safe: one per request.
 */
public final class CallContext {
    private static final Pattern KEY_ID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}");

    private final Services services;
    private final Caller caller;
    private final String region;
    private final String requestId;
    private final Instant time;
    private final String sourceIp;
    private final String userAgent;
    private final String viaService;
    private final String hostHeader;
    private final List<KmsKey> resources = new ArrayList<>();
    private ObjectNode additionalEventData;

    public CallContext(Services services, Caller caller, String region, String requestId, Instant time,
                       String sourceIp, String userAgent, String viaService, String hostHeader) {
        this.services = Objects.requireNonNull(services, "services");
        this.caller = Objects.requireNonNull(caller, "caller");
        this.region = Objects.requireNonNull(region, "region");
        this.requestId = requestId;
        this.time = time;
        this.sourceIp = sourceIp;
        this.userAgent = userAgent;
        this.viaService = viaService;
        this.hostHeader = hostHeader;
    }

    public Services services() {
        return services;
    }

    public Caller caller() {
        return caller;
    }

    public String region() {
        return region;
    }

    public String requestId() {
        return requestId;
    }

    /** The emulator time the request arrived. */
    public Instant now() {
        return time;
    }

    public String sourceIp() {
        return sourceIp;
    }

    public String userAgent() {
        return userAgent;
    }

    /** The AWS service host ({@code s3.amazonaws.com}) the call came through, or null. */
    public String viaService() {
        return viaService;
    }

    /** {@code kms:ViaService} value: the service's regional endpoint, e.g. {@code s3.us-east-1.amazonaws.com}. */
    public String viaServiceCondition() {
        if (viaService == null) {
            return null;
        }
        int dot = viaService.indexOf('.');
        return dot < 0 ? viaService : viaService.substring(0, dot) + "." + region + viaService.substring(dot);
    }

    public String hostHeader() {
        return hostHeader;
    }

    public String partition() {
        return services.partition();
    }

    /** Keys this call touched, for CloudTrail {@code resources}. */
    public List<KmsKey> resources() {
        return Collections.unmodifiableList(resources);
    }

    /** Records a key for CloudTrail {@code resources} (once). */
    public void addResource(KmsKey key) {
        for (KmsKey k : resources) {
            if (k.arn().equals(key.arn())) {
                return;
            }
        }
        resources.add(key);
    }

    public ObjectNode additionalEventData() {
        return additionalEventData;
    }

    /** Adds an {@code additionalEventData} member (e.g. {@code keyMaterialId}). */
    public void putAdditional(String name, String value) {
        if (additionalEventData == null) {
            additionalEventData = Json.MAPPER.createObjectNode();
        }
        additionalEventData.put(name, value);
    }

    // ------------------------------------------------------------------ key resolution

    /**
     * Resolves a {@code KeyId} in any of its four forms (key id, key ARN, alias name, alias ARN) to a key and
     * records it as a resource. Key ids and alias names resolve in the caller's account and the request's
     * region; ARNs may name another account.
     *
     * @param member     the request member name, for validation messages ({@code keyId})
     * @param allowAlias false for operations that accept only a key id or key ARN
     * @throws KmsServiceException ValidationException when missing, NotFoundException when unknown
     */
    public KmsKey resolveKey(String keyId, String member, boolean allowAlias) {
        Validation.requireKeyId(keyId, member);
        KmsKey key = lookupKey(keyId, allowAlias);
        addResource(key);
        return key;
    }

    /**
     * Resolves a key id or key ARN for an operation AWS does not allow across accounts (key management:
     * EnableKey, PutKeyPolicy, tags, rotation settings, import…): a key of another account is not found.
     *
     * @throws KmsServiceException ValidationException when missing, NotFoundException when unknown or foreign
     */
    public KmsKey resolveOwnKey(String keyId, String member) {
        Validation.requireKeyId(keyId, member);
        KmsKey key = lookupKey(keyId, false);
        if (!key.accountId().equals(caller.accountId())) {
            throw KmsServiceException.notFound("Key '" + key.arn() + "' does not exist");
        }
        addResource(key);
        return key;
    }

    /** {@link #resolveKey(String, String, boolean)} with member {@code keyId} and aliases allowed. */
    public KmsKey resolveKey(String keyId) {
        return resolveKey(keyId, "keyId", true);
    }

    private KmsKey lookupKey(String keyId, boolean allowAlias) {
        String p = partition();
        if (keyId.startsWith("arn:")) {
            String[] parts = keyId.split(":", 6);
            if (parts.length != 6 || !"kms".equals(parts[2]) || !parts[4].matches("\\d{12}")) {
                throw KmsServiceException.notFound("Invalid arn " + keyId);
            }
            String account = parts[4];
            String arnRegion = parts[3];
            String resource = parts[5];
            if (resource.startsWith("key/")) {
                return findKey(p, arnRegion, account, resource.substring(4));
            }
            if (resource.startsWith("alias/") && allowAlias) {
                return findByAlias(account, arnRegion, resource);
            }
            throw KmsServiceException.notFound("Invalid keyId " + keyId);
        }
        if (keyId.startsWith("alias/")) {
            if (!allowAlias) {
                throw KmsServiceException.notFound("Invalid keyId " + keyId);
            }
            return findByAlias(caller.accountId(), region, keyId);
        }
        return findKey(p, region, caller.accountId(), keyId);
    }

    private KmsKey findKey(String partition, String keyRegion, String account, String id) {
        String arn = KmsKey.arn(partition, keyRegion, account, id);
        if (!KEY_ID.matcher(id).matches()) {
            throw KmsServiceException.notFound("Invalid keyId " + id);
        }
        if (!keyRegion.equals(region)) {
            throw KmsServiceException.notFound("Key '" + arn + "' does not exist");
        }
        return services.store().key(arn)
                .orElseThrow(() -> KmsServiceException.notFound("Key '" + arn + "' does not exist"));
    }

    private KmsKey findByAlias(String account, String aliasRegion, String aliasName) {
        String aliasArn = "arn:" + partition() + ":kms:" + aliasRegion + ":" + account + ":" + aliasName;
        if (!aliasRegion.equals(region)) {
            throw KmsServiceException.notFound("Alias " + aliasArn + " is not found.");
        }
        Alias a = services.store().alias(account, aliasRegion, aliasName)
                .orElseThrow(() -> KmsServiceException.notFound("Alias " + aliasArn + " is not found."));
        return findKey(partition(), aliasRegion, account, a.targetKeyId());
    }

    // ------------------------------------------------------------------ authorization

    /**
     * Authorizes an action on a key with the request's encryption context.
     *
     * @throws KmsServiceException AccessDeniedException
     */
    public void authorize(KmsKey key, String action, Map<String, String> encryptionContext) {
        services.authorizer().authorize(this, key, action, encryptionContext, null, null);
    }

    public void authorize(KmsKey key, String action) {
        authorize(key, action, null);
    }

    /** Authorizes with extra condition keys (e.g. {@code kms:GrantIsForAWSResource}) or a subset of grants. */
    public void authorize(KmsKey key, String action, Map<String, String> encryptionContext,
                          Map<String, List<String>> extraContext, List<Grant> grants) {
        services.authorizer().authorize(this, key, action, encryptionContext, extraContext, grants);
    }

    /** Authorizes an action on no key (CreateKey, ListKeys, ListAliases, GenerateRandom…): IAM policies decide. */
    public void authorizeKeyless(String action) {
        services.authorizer().authorize(this, null, action, null, null, null);
    }

    /** Throws DryRunOperationException when {@code dryRun} is true (call after authorization). */
    public static void checkDryRun(Boolean dryRun) {
        if (Boolean.TRUE.equals(dryRun)) {
            throw new KmsServiceException(KmsErrorCode.DRY_RUN_OPERATION,
                    "The request would have succeeded, but the DryRun option is set.");
        }
    }
}
