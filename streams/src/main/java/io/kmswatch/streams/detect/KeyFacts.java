package io.kmswatch.streams.detect;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.KeyArns;
import io.kmswatch.events.KmsOperation;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the key inventory knows about one key, built from the event stream itself (CreateKey,
 * state changes, tags, use). Detections receive the facts as they were <em>before</em> the event
 * they are looking at.
 *
 * @param keyArn                 never null
 * @param accountId              the owner account
 * @param region                 the key's region
 * @param state                  {@code Enabled}, {@code Disabled}, {@code PendingDeletion},
 *                               {@code PendingImport}, {@code Deleted} or {@code Unknown}
 * @param rotationEnabled        null when no rotation change was seen
 * @param origin                 {@code AWS_KMS}, {@code EXTERNAL}, … when CreateKey was seen, else null
 * @param tags                   tags from CreateKey/TagResource/UntagResource; never null
 * @param firstSeen              event time of the first record about the key
 * @param lastUsed               event time of the last successful cryptographic call, or null
 * @param stateChangedAt         event time of the state change that set {@code state}, or null
 * @param pendingDeletionDate    when the key will be deleted, while pending deletion; else null
 * @param lastStateChangeEventId eventID of the DisableKey/ScheduleKeyDeletion/… that set the state
 * @param lastStateChange        eventName of that change
 * @param lastStateChangeBy      principal of that change
 */
public record KeyFacts(String keyArn, String accountId, String region, String state, Boolean rotationEnabled,
                       String origin, Map<String, String> tags, Instant firstSeen, Instant lastUsed,
                       Instant stateChangedAt, Instant pendingDeletionDate, String lastStateChangeEventId,
                       String lastStateChange, String lastStateChangeBy) {
    public static final String UNKNOWN = "Unknown";

    public KeyFacts {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        state = state == null ? UNKNOWN : state;
    }

    /** Facts about a key never seen before. */
    public static KeyFacts unseen(String keyArn, Instant at) {
        return new KeyFacts(keyArn, KeyArns.accountOf(keyArn), KeyArns.regionOf(keyArn), UNKNOWN, null, null, null,
                at, null, null, null, null, null, null);
    }

    public boolean isPendingDeletion() {
        return "PendingDeletion".equals(state);
    }

    /** The facts after {@code e}. Only successful calls change state; a change older than the current state is ignored. */
    public KeyFacts apply(CloudTrailEvent e) {
        Instant t = e.eventTime();
        Instant first = firstSeen == null || t.isBefore(firstSeen) ? t : firstSeen;
        KmsOperation op = e.operation();
        if (!e.isKms()) {
            return with(first, lastUsed);
        }
        if (!e.succeeded()) {
            // Applications failing with DisabledException tell us the state of a key we never saw change.
            if (UNKNOWN.equals(state) && "DisabledException".equals(e.errorCode())) {
                return new KeyFacts(keyArn, accountId, region, "Disabled", rotationEnabled, origin, tags, first,
                        lastUsed, null, pendingDeletionDate, null, null, null);
            }
            return with(first, lastUsed);
        }
        if (op.isCryptographic()) {
            // "Last used" to the minute: a busy key would otherwise rewrite its facts on every call.
            Instant used = lastUsed == null || t.isAfter(lastUsed.plusSeconds(59)) ? t : lastUsed;
            String s = UNKNOWN.equals(state) ? "Enabled" : state;
            return new KeyFacts(keyArn, accountId, region, s, rotationEnabled, origin, tags, first, used,
                    stateChangedAt, pendingDeletionDate, lastStateChangeEventId, lastStateChange, lastStateChangeBy);
        }
        switch (op) {
            case TAG_RESOURCE: return withTags(tagsAfterTagging(e.requestParameters().path("tags")), first);
            case UNTAG_RESOURCE: return withTags(tagsAfterUntagging(e.requestParameters().path("tagKeys")), first);
            case ENABLE_KEY_ROTATION: return new KeyFacts(keyArn, accountId, region, state, true, origin, tags, first,
                    lastUsed, stateChangedAt, pendingDeletionDate, lastStateChangeEventId, lastStateChange, lastStateChangeBy);
            case DISABLE_KEY_ROTATION: return new KeyFacts(keyArn, accountId, region, state, false, origin, tags, first,
                    lastUsed, stateChangedAt, pendingDeletionDate, lastStateChangeEventId, lastStateChange, lastStateChangeBy);
            default: break;
        }
        if (stateChangedAt != null && t.isBefore(stateChangedAt)) {
            return with(first, lastUsed);
        }
        switch (op) {
            case CREATE_KEY: {
                JsonNode p = e.requestParameters();
                String o = p.path("origin").asText("AWS_KMS");
                Map<String, String> created = new LinkedHashMap<>(tags);
                putTags(created, p.path("tags"));
                return new KeyFacts(keyArn, accountId, region, "EXTERNAL".equals(o) ? "PendingImport" : "Enabled",
                        false, o, created, first, lastUsed, t, null, e.eventId(), e.eventName(), e.principal());
            }
            case ENABLE_KEY: return changed("Enabled", null, e, first);
            case DISABLE_KEY: return changed("Disabled", null, e, first);
            case SCHEDULE_KEY_DELETION: return changed("PendingDeletion", DeletionDates.of(e), e, first);
            // Cancelling a deletion leaves the key disabled (KMS developer guide, "Deleting keys").
            case CANCEL_KEY_DELETION: return changed("Disabled", null, e, first);
            case DELETE_KEY: return changed("Deleted", null, e, first);
            case IMPORT_KEY_MATERIAL: return changed("Enabled", null, e, first);
            case DELETE_IMPORTED_KEY_MATERIAL:
            case DELETE_EXPIRED_KEY_MATERIAL: return changed("PendingImport", null, e, first);
            default: return with(first, lastUsed);
        }
    }

    private KeyFacts changed(String newState, Instant deletionDate, CloudTrailEvent e, Instant first) {
        return new KeyFacts(keyArn, accountId, region, newState, rotationEnabled, origin, tags, first, lastUsed,
                e.eventTime(), deletionDate, e.eventId(), e.eventName(), e.principal());
    }

    private KeyFacts with(Instant first, Instant used) {
        if (first.equals(firstSeen) && (used == null ? lastUsed == null : used.equals(lastUsed))) {
            return this;
        }
        return new KeyFacts(keyArn, accountId, region, state, rotationEnabled, origin, tags, first, used,
                stateChangedAt, pendingDeletionDate, lastStateChangeEventId, lastStateChange, lastStateChangeBy);
    }

    private KeyFacts withTags(Map<String, String> newTags, Instant first) {
        return new KeyFacts(keyArn, accountId, region, state, rotationEnabled, origin, newTags, first, lastUsed,
                stateChangedAt, pendingDeletionDate, lastStateChangeEventId, lastStateChange, lastStateChangeBy);
    }

    private Map<String, String> tagsAfterTagging(JsonNode added) {
        Map<String, String> m = new LinkedHashMap<>(tags);
        putTags(m, added);
        return m;
    }

    /**
     * Adds {@code requestParameters.tags[]}: CloudTrail logs them as {@code {tagKey, tagValue}} (the
     * developer guide's CreateKey and TagResource examples, and the emulator); the API's own spelling
     * {@code {TagKey, TagValue}} is accepted too. Entries without a key are ignored.
     */
    private static void putTags(Map<String, String> into, JsonNode list) {
        for (JsonNode tag : list) {
            JsonNode k = tag.has("tagKey") ? tag.get("tagKey") : tag.path("TagKey");
            JsonNode v = tag.has("tagValue") ? tag.get("tagValue") : tag.path("TagValue");
            if (k.isTextual() && !k.textValue().isEmpty()) {
                into.put(k.textValue(), v.isNull() || v.isMissingNode() ? "" : v.asText());
            }
        }
    }

    private Map<String, String> tagsAfterUntagging(JsonNode removed) {
        Map<String, String> m = new LinkedHashMap<>(tags);
        for (JsonNode k : removed) {
            m.remove(k.asText());
        }
        return m;
    }
}
