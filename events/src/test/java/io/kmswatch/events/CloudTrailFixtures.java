package io.kmswatch.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds CloudTrail-shaped KMS records for tests, so tests write
 * {@code CloudTrailFixtures.decrypt().key(K).principal(P).at(T).build()} instead of JSON strings.
 * The shapes follow the KMS developer guide's {@code ct-*} examples (account ids and IPs scrubbed).
 * Event ids are unique per builder unless set.
 */
public final class CloudTrailFixtures {
    public static final String ACCOUNT = "111122223333";
    public static final String OTHER_ACCOUNT = "444455556666";
    public static final String REGION = "us-east-1";
    public static final String KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
    public static final String KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/" + KEY_ID;
    public static final String ROLE_ARN = "arn:aws:iam::111122223333:role/app";
    public static final String USER_ARN = "arn:aws:iam::111122223333:user/alice";
    public static final Instant T0 = Instant.parse("2024-03-01T12:00:00Z");

    private static final AtomicLong SEQ = new AtomicLong();

    private CloudTrailFixtures() {
    }

    public static Builder event(String eventName) {
        return new Builder(eventName);
    }

    public static Builder decrypt() {
        return event("Decrypt").readOnly(true).param("encryptionAlgorithm", "SYMMETRIC_DEFAULT");
    }

    public static Builder encrypt() {
        return event("Encrypt").readOnly(true).param("encryptionAlgorithm", "SYMMETRIC_DEFAULT");
    }

    public static Builder generateDataKey() {
        return event("GenerateDataKey").readOnly(true).param("keySpec", "AES_256");
    }

    public static Builder disableKey() {
        return event("DisableKey");
    }

    public static Builder enableKey() {
        return event("EnableKey");
    }

    public static Builder disableKeyRotation() {
        return event("DisableKeyRotation");
    }

    public static Builder cancelKeyDeletion() {
        return event("CancelKeyDeletion");
    }

    /** ScheduleKeyDeletion with its window and the deletion date AWS reports in responseElements. */
    public static Builder scheduleKeyDeletion(int pendingWindowInDays) {
        return event("ScheduleKeyDeletion").param("pendingWindowInDays", pendingWindowInDays)
                .scheduleWindow(pendingWindowInDays);
    }

    /** PutKeyPolicy with the policy as an escaped JSON string, as CloudTrail logs it. */
    public static Builder putKeyPolicy(String policyJson) {
        return event("PutKeyPolicy").param("policyName", "default").param("policy", policyJson)
                .param("bypassPolicyLockoutSafetyCheck", false);
    }

    /** CreateGrant to a grantee for the given operations. */
    public static Builder createGrant(String granteePrincipal, String... operations) {
        Builder b = event("CreateGrant").param("granteePrincipal", granteePrincipal);
        ArrayNode ops = b.requestParameters.putArray("operations");
        for (String op : operations) {
            ops.add(op);
        }
        b.response.put("grantId", "0ab0ac0d0b000f00ea00cc0a0e00fc00bce000c000f0000000c0bc0a0000aaafSAMPLE");
        return b;
    }

    /** A mutable record under construction. */
    public static final class Builder {
        private final ObjectNode root = Json.MAPPER.createObjectNode();
        private final ObjectNode identity = Json.MAPPER.createObjectNode();
        private final ObjectNode requestParameters = Json.MAPPER.createObjectNode();
        private final ObjectNode response = Json.MAPPER.createObjectNode();
        private String keyArn = KEY_ARN;
        private boolean keyInRequest = true;
        private boolean withResources = true;
        private Instant at = T0;
        private Integer scheduleWindow;

        Builder(String eventName) {
            long n = SEQ.incrementAndGet();
            root.put("eventVersion", "1.08");
            root.put("eventSource", "kms.amazonaws.com");
            root.put("eventName", eventName);
            root.put("awsRegion", REGION);
            root.put("sourceIPAddress", "192.0.2.10");
            root.put("userAgent", "aws-cli/2.13.0 Python/3.11.4");
            root.put("requestID", String.format("a1b2c3d4-0000-4000-8000-%012d", n));
            root.put("eventID", String.format("e1f2a3b4-0000-4000-8000-%012d", n));
            root.put("readOnly", false);
            root.put("eventType", "AwsApiCall");
            root.put("managementEvent", true);
            root.put("recipientAccountId", ACCOUNT);
            root.put("eventCategory", "Management");
            principal(ROLE_ARN);
        }

        /** The key the call names (ARN); also its account and region unless set otherwise. */
        public Builder key(String arn) {
            this.keyArn = arn;
            return this;
        }

        /** Omits the key from requestParameters (symmetric Decrypt usually has none). */
        public Builder keyOnlyInResources() {
            this.keyInRequest = false;
            return this;
        }

        /** Names the key in requestParameters.keyId exactly as given (an alias, a bare id) and no resources. */
        public Builder keyIdAsGiven(String keyId) {
            this.keyArn = null;
            this.withResources = false;
            requestParameters.put("keyId", keyId);
            return this;
        }

        public Builder withoutResources() {
            this.withResources = false;
            return this;
        }

        /**
         * The caller. An {@code iam::<acct>:role/<name>} ARN becomes an AssumedRole session of that
         * role; {@code iam::<acct>:user/<name>} an IAMUser; {@code iam::<acct>:root} the Root user.
         */
        public Builder principal(String arn) {
            identity.removeAll();
            String account = KeyArns.accountOf(arn);
            if (arn.contains(":role/")) {
                String role = arn.substring(arn.indexOf(":role/") + 6);
                identity.put("type", "AssumedRole");
                identity.put("principalId", "AROAEXAMPLEID:session");
                identity.put("arn", "arn:aws:sts::" + account + ":assumed-role/" + role + "/session");
                identity.put("accountId", account);
                identity.put("accessKeyId", "ASIAEXAMPLEKEYID");
                ObjectNode ctx = identity.putObject("sessionContext");
                ObjectNode issuer = ctx.putObject("sessionIssuer");
                issuer.put("type", "Role");
                issuer.put("principalId", "AROAEXAMPLEID");
                issuer.put("arn", arn);
                issuer.put("accountId", account);
                issuer.put("userName", role);
                ObjectNode attrs = ctx.putObject("attributes");
                attrs.put("creationDate", "2024-03-01T11:00:00Z");
                attrs.put("mfaAuthenticated", "false");
            } else if (arn.endsWith(":root")) {
                identity.put("type", "Root");
                identity.put("principalId", account);
                identity.put("arn", arn);
                identity.put("accountId", account);
                identity.put("accessKeyId", "AKIAEXAMPLEROOT");
            } else {
                identity.put("type", "IAMUser");
                identity.put("principalId", "AIDAEXAMPLEID");
                identity.put("arn", arn);
                identity.put("accountId", account);
                identity.put("accessKeyId", "AKIAEXAMPLEKEYID");
                identity.put("userName", arn.substring(arn.lastIndexOf('/') + 1));
            }
            return this;
        }

        /** Marks the call as made by an AWS service on the principal's behalf. */
        public Builder invokedBy(String service) {
            identity.put("invokedBy", service);
            root.put("sourceIPAddress", service);
            root.put("userAgent", service);
            return this;
        }

        /** A service event: no type, {@code AWS Internal}, no request id. */
        public Builder serviceEvent(String account) {
            identity.removeAll();
            identity.put("accountId", account);
            identity.put("invokedBy", "AWS Internal");
            root.put("eventType", "AwsServiceEvent");
            root.put("sourceIPAddress", "AWS Internal");
            root.put("userAgent", "AWS Internal");
            root.remove("requestID");
            return this;
        }

        public Builder at(Instant time) {
            this.at = time;
            return this;
        }

        public Builder region(String region) {
            root.put("awsRegion", region);
            return this;
        }

        public Builder sourceIp(String ip) {
            root.put("sourceIPAddress", ip);
            return this;
        }

        public Builder userAgent(String ua) {
            root.put("userAgent", ua);
            return this;
        }

        public Builder eventId(String id) {
            root.put("eventID", id);
            return this;
        }

        public Builder recipientAccount(String account) {
            root.put("recipientAccountId", account);
            return this;
        }

        public Builder sharedEventId(String id) {
            root.put("sharedEventID", id);
            return this;
        }

        public Builder readOnly(boolean ro) {
            root.put("readOnly", ro);
            return this;
        }

        /** A failed call. */
        public Builder error(String code, String message) {
            root.put("errorCode", code);
            root.put("errorMessage", message);
            return this;
        }

        public Builder param(String name, Object value) {
            requestParameters.set(name, Json.MAPPER.valueToTree(value));
            return this;
        }

        public Builder encryptionContext(String k, String v) {
            ObjectNode ec = requestParameters.has("encryptionContext")
                    ? (ObjectNode) requestParameters.get("encryptionContext")
                    : requestParameters.putObject("encryptionContext");
            ec.put(k, v);
            return this;
        }

        public Builder response(String name, Object value) {
            response.set(name, Json.MAPPER.valueToTree(value));
            return this;
        }

        Builder scheduleWindow(int days) {
            this.scheduleWindow = days;
            return this;
        }

        /** The record as JSON text. */
        public String json() {
            ObjectNode r = root.deepCopy();
            r.put("eventTime", at.truncatedTo(ChronoUnit.SECONDS).toString());
            r.set("userIdentity", identity.deepCopy());
            ObjectNode req = requestParameters.deepCopy();
            if (keyArn != null && keyInRequest && !req.has("keyId")) {
                req.put("keyId", keyArn);
            }
            r.set("requestParameters", req.isEmpty() && "AwsServiceEvent".equals(r.path("eventType").asText())
                    ? null : req);
            ObjectNode resp = response.deepCopy();
            if (scheduleWindow != null && keyArn != null) {
                resp.put("keyId", keyArn);
                resp.put("keyState", "PendingDeletion");
                resp.put("deletionDate", at.plus(scheduleWindow, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString());
                resp.put("pendingWindowInDays", scheduleWindow);
            }
            r.set("responseElements", resp.isEmpty() ? null : resp);
            if (withResources && keyArn != null) {
                ArrayNode res = r.putArray("resources");
                ObjectNode k = res.addObject();
                k.put("accountId", KeyArns.accountOf(keyArn));
                k.put("type", "AWS::KMS::Key");
                k.put("ARN", keyArn);
            }
            return r.toString();
        }

        /** The record as a tree, to mutate further. */
        public JsonNode tree() {
            try {
                return Json.MAPPER.readTree(json());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        public CloudTrailEvent build() {
            return CloudTrailEvent.parse(json());
        }
    }
}
