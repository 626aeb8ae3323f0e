package io.kmswatch.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.kmswatch.events.CloudTrailEvent;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The CloudTrail fields the codec has already read, as a tree: a rule that reads only these (and does not test
 * presence with {@code |exists}, where a JSON null and an absent field differ) is evaluated on a record whose
 * fields are {@linkplain CloudTrailEvent#fieldsVerbatim() verbatim} without parsing or scanning its bytes. On such
 * a record the tree gives every one of these paths the values the record's own tree gives: the same strings and
 * booleans, nothing where the record has null or nothing, and no dotted member name that could also match.
 * {@code eventTime} is not among them (the codec reads it as an instant, not as its text).
 */
final class CodecFields {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<String, Function<CloudTrailEvent, Object>> FIELDS = new LinkedHashMap<>();

    static {
        FIELDS.put("eventID", e -> e.eventIdDerived() ? null : e.eventId());
        FIELDS.put("eventVersion", CloudTrailEvent::eventVersion);
        FIELDS.put("eventSource", CloudTrailEvent::eventSource);
        FIELDS.put("eventName", CloudTrailEvent::eventName);
        FIELDS.put("eventType", CloudTrailEvent::eventType);
        FIELDS.put("eventCategory", CloudTrailEvent::eventCategory);
        FIELDS.put("awsRegion", CloudTrailEvent::awsRegion);
        FIELDS.put("sourceIPAddress", CloudTrailEvent::sourceIpAddress);
        FIELDS.put("userAgent", CloudTrailEvent::userAgent);
        FIELDS.put("errorCode", CloudTrailEvent::errorCode);
        FIELDS.put("errorMessage", CloudTrailEvent::errorMessage);
        FIELDS.put("requestID", CloudTrailEvent::requestId);
        FIELDS.put("recipientAccountId", CloudTrailEvent::recipientAccountId);
        FIELDS.put("sharedEventID", CloudTrailEvent::sharedEventId);
        FIELDS.put("vpcEndpointId", CloudTrailEvent::vpcEndpointId);
        FIELDS.put("readOnly", CloudTrailEvent::readOnly);
        FIELDS.put("managementEvent", CloudTrailEvent::managementEvent);
        FIELDS.put("userIdentity.type", e -> e.userIdentity().type());
        FIELDS.put("userIdentity.principalId", e -> e.userIdentity().principalId());
        FIELDS.put("userIdentity.arn", e -> e.userIdentity().arn());
        FIELDS.put("userIdentity.accountId", e -> e.userIdentity().accountId());
        FIELDS.put("userIdentity.accessKeyId", e -> e.userIdentity().accessKeyId());
        FIELDS.put("userIdentity.userName", e -> e.userIdentity().userName());
        FIELDS.put("userIdentity.invokedBy", e -> e.userIdentity().invokedBy());
        FIELDS.put("userIdentity.sessionContext.sessionIssuer.type", e -> e.userIdentity().sessionIssuerType());
        FIELDS.put("userIdentity.sessionContext.sessionIssuer.arn", e -> e.userIdentity().sessionIssuerArn());
        FIELDS.put("userIdentity.sessionContext.sessionIssuer.accountId",
                e -> e.userIdentity().sessionIssuerAccountId());
    }

    private final String[][] paths;
    private final Function<CloudTrailEvent, Object>[] getters;

    /** A builder of the tree of {@code fields} (each one of {@link #covers}). */
    @SuppressWarnings("unchecked")
    CodecFields(Collection<String> fields) {
        paths = new String[fields.size()][];
        getters = new Function[fields.size()];
        int i = 0;
        for (String f : fields) {
            Function<CloudTrailEvent, Object> g = FIELDS.get(f);
            if (g == null) {
                throw new IllegalArgumentException("not a field the codec reads: " + f);
            }
            paths[i] = f.split("\\.");
            getters[i++] = g;
        }
    }

    /** True when every one of {@code fields} is a field the codec reads. */
    static boolean covers(Set<String> fields) {
        return FIELDS.keySet().containsAll(fields);
    }

    /** The tree of the fields for a record whose fields are verbatim. */
    JsonNode tree(CloudTrailEvent e) {
        ObjectNode root = NODES.objectNode();
        for (int i = 0; i < paths.length; i++) {
            Object v = getters[i].apply(e);
            if (v == null) {
                continue;
            }
            ObjectNode o = root;
            String[] p = paths[i];
            for (int s = 0; s < p.length - 1; s++) {
                JsonNode next = o.get(p[s]);
                o = next instanceof ObjectNode on ? on : o.putObject(p[s]);
            }
            o.set(p[p.length - 1], v instanceof Boolean b ? BooleanNode.valueOf(b) : TextNode.valueOf((String) v));
        }
        return root;
    }
}
