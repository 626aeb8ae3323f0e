package io.kmswatch.emulator.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.kmswatch.events.Json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parsed IAM policy document: a key policy or an identity policy.
 *
 * <p>Accepted grammar (the <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html">IAM
 * policy grammar</a>):
 *
 * <pre>
 * policy     = { "Version"?: "2012-10-17" | "2008-10-17", "Id"?: string, "Statement": statement | [statement, …] }
 * statement  = { "Sid"?: string, "Effect": "Allow" | "Deny",
 *                ("Principal" | "NotPrincipal")?: "*" | { type: string | [string, …] },
 *                ("Action" | "NotAction"): string | [string, …],
 *                ("Resource" | "NotResource"): string | [string, …],
 *                "Condition"?: { operator: { key: scalar | [scalar, …] } } }
 * type       = "AWS" | "Service" | "Federated" | "CanonicalUser"
 * </pre>
 *
 * An {@code AWS} principal is {@code *}, a 12-digit account id, an IAM {@code root}/{@code user}/{@code role}/
 * {@code federated-user} ARN, an STS {@code assumed-role}/{@code federated-user} ARN, or an IAM unique id
 * ({@code AIDA…}, {@code AROA…}: what AWS shows after the principal was deleted). Condition operators are
 * not checked here: an unknown operator is kept, and {@link PolicyEvaluator} fails closed on it in a Deny.
 * Immutable and thread-safe.
 */
public final class PolicyDocument {

    private static final Set<String> TOP_LEVEL = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT_ELEMENTS = Set.of("Sid", "Effect", "Principal", "NotPrincipal",
            "Action", "NotAction", "Resource", "NotResource", "Condition");
    private static final Set<String> VERSIONS = Set.of("2012-10-17", "2008-10-17");
    private static final Set<String> PRINCIPAL_TYPES = Set.of("AWS", "Service", "Federated", "CanonicalUser");
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Pattern AWS_PRINCIPAL_ARN = Pattern.compile(
            "arn:aws[a-z-]*:(iam::\\d{12}:(root|user/.+|role/.+|federated-user/.+)"
                    + "|sts::\\d{12}:(assumed-role/[^/]+/.+|federated-user/.+))");
    private static final Pattern UNIQUE_ID = Pattern.compile("A[A-Z]{3}[A-Z0-9]{12,124}");
    private static final Pattern SERVICE = Pattern.compile("[a-z0-9][a-z0-9.-]*(\\.amazonaws\\.com(\\.cn)?|\\.aws\\.internal)");
    private static final String INVALID_PRINCIPALS = "Policy contains a statement with one or more invalid principals.";

    private final String version;
    private final String id;
    private final List<PolicyStatement> statements;

    private PolicyDocument(String version, String id, List<PolicyStatement> statements) {
        this.version = version;
        this.id = id;
        this.statements = List.copyOf(statements);
    }

    /**
     * Parses a key policy or identity policy.
     *
     * @param json the policy text; never null
     * @return the parsed document
     * @throws MalformedPolicyException when the text is not a valid policy document
     */
    public static PolicyDocument parse(String json) throws MalformedPolicyException {
        Objects.requireNonNull(json, "json");
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new MalformedPolicyException("Syntax errors in policy.", e);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedPolicyException("Syntax errors in policy.");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!TOP_LEVEL.contains(name)) {
                throw new MalformedPolicyException("Policy document contains an unsupported element: " + name + ".");
            }
        }
        String version = textOrNull(root.get("Version"), "Version");
        if (version != null && !VERSIONS.contains(version)) {
            throw new MalformedPolicyException("The policy must contain a valid version string");
        }
        String id = textOrNull(root.get("Id"), "Id");
        JsonNode statementNode = root.get("Statement");
        if (statementNode == null || statementNode.isNull()) {
            throw new MalformedPolicyException("Policy document must contain a Statement.");
        }
        List<JsonNode> rawStatements = new ArrayList<>();
        if (statementNode.isArray()) {
            statementNode.forEach(rawStatements::add);
        } else if (statementNode.isObject()) {
            rawStatements.add(statementNode);
        } else {
            throw new MalformedPolicyException("Syntax errors in policy.");
        }
        if (rawStatements.isEmpty()) {
            throw new MalformedPolicyException("Policy document must contain at least one Statement.");
        }
        List<PolicyStatement> statements = new ArrayList<>(rawStatements.size());
        for (JsonNode node : rawStatements) {
            statements.add(statement(node));
        }
        return new PolicyDocument(version, id, statements);
    }

    /**
     * Parses a key policy: as {@link #parse(String)}, and every statement must name a Principal or NotPrincipal,
     * as KMS requires.
     *
     * @throws MalformedPolicyException when the text is not a valid key policy
     */
    public static PolicyDocument parseKeyPolicy(String json) throws MalformedPolicyException {
        PolicyDocument doc = parse(json);
        for (PolicyStatement s : doc.statements) {
            if (s.principal() == null) {
                throw new MalformedPolicyException("Policy statement must contain a Principal element.");
            }
        }
        return doc;
    }

    /**
     * Parses an IAM identity policy: as {@link #parse(String)}, and no statement may name a principal.
     *
     * @throws MalformedPolicyException when the text is not a valid identity policy
     */
    public static PolicyDocument parseIdentityPolicy(String json) throws MalformedPolicyException {
        PolicyDocument doc = parse(json);
        for (PolicyStatement s : doc.statements) {
            if (s.principal() != null) {
                throw new MalformedPolicyException("Policy document should not specify a principal.");
            }
        }
        return doc;
    }

    /** The Version element, or null when absent. */
    public String version() {
        return version;
    }

    /** The Id element, or null when absent. */
    public String id() {
        return id;
    }

    /** The statements, in document order; never empty. */
    public List<PolicyStatement> statements() {
        return statements;
    }

    private static PolicyStatement statement(JsonNode node) {
        if (!node.isObject()) {
            throw new MalformedPolicyException("Syntax errors in policy.");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!STATEMENT_ELEMENTS.contains(name)) {
                throw new MalformedPolicyException("Policy statement contains an unsupported element: " + name + ".");
            }
        }
        String sid = textOrNull(node.get("Sid"), "Sid");
        String effectText = textOrNull(node.get("Effect"), "Effect");
        if (effectText == null) {
            throw new MalformedPolicyException("Policy statement must contain an Effect.");
        }
        PolicyStatement.Effect effect = switch (effectText) {
            case "Allow" -> PolicyStatement.Effect.ALLOW;
            case "Deny" -> PolicyStatement.Effect.DENY;
            default -> throw new MalformedPolicyException("Invalid effect: " + effectText);
        };

        boolean hasPrincipal = node.has("Principal");
        boolean hasNotPrincipal = node.has("NotPrincipal");
        if (hasPrincipal && hasNotPrincipal) {
            throw new MalformedPolicyException("Policy statement cannot contain both Principal and NotPrincipal.");
        }
        PrincipalSpec principal = hasPrincipal ? principal(node.get("Principal"))
                : hasNotPrincipal ? principal(node.get("NotPrincipal")) : null;
        if (hasNotPrincipal && effect == PolicyStatement.Effect.ALLOW && principal.anyone()) {
            throw new MalformedPolicyException(INVALID_PRINCIPALS);
        }

        boolean hasAction = node.has("Action");
        boolean hasNotAction = node.has("NotAction");
        if (hasAction == hasNotAction) {
            throw new MalformedPolicyException(hasAction
                    ? "Policy statement cannot contain both Action and NotAction."
                    : "Policy statement must contain actions.");
        }
        List<String> actions = strings(node.get(hasAction ? "Action" : "NotAction"), "Action");
        for (String action : actions) {
            if (!action.equals("*") && !action.matches("[A-Za-z0-9-]+:[A-Za-z0-9*?]+")) {
                throw new MalformedPolicyException("Actions/Conditions must be prefaced by a vendor, e.g., iam, "
                        + "sdb, ec2, etc.");
            }
        }

        boolean hasResource = node.has("Resource");
        boolean hasNotResource = node.has("NotResource");
        if (hasResource == hasNotResource) {
            throw new MalformedPolicyException(hasResource
                    ? "Policy statement cannot contain both Resource and NotResource."
                    : "Policy statement must contain resources.");
        }
        List<String> resources = strings(node.get(hasResource ? "Resource" : "NotResource"), "Resource");

        List<ConditionClause> conditions = conditions(node.get("Condition"));
        return new PolicyStatement(sid, effect, principal, hasNotPrincipal, actions, hasNotAction, resources,
                hasNotResource, conditions);
    }

    private static PrincipalSpec principal(JsonNode node) {
        if (node.isTextual()) {
            if (node.asText().equals("*")) {
                return new PrincipalSpec(true, Map.of());
            }
            throw new MalformedPolicyException(INVALID_PRINCIPALS);
        }
        if (!node.isObject() || node.isEmpty()) {
            throw new MalformedPolicyException(INVALID_PRINCIPALS);
        }
        Map<String, List<String>> byType = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String type = field.getKey();
            if (!PRINCIPAL_TYPES.contains(type)) {
                throw new MalformedPolicyException(INVALID_PRINCIPALS);
            }
            List<String> values;
            try {
                values = strings(field.getValue(), "Principal");
            } catch (MalformedPolicyException e) {
                throw new MalformedPolicyException(INVALID_PRINCIPALS, e);
            }
            for (String value : values) {
                boolean valid = switch (type) {
                    case "AWS" -> value.equals("*") || ACCOUNT_ID.matcher(value).matches()
                            || AWS_PRINCIPAL_ARN.matcher(value).matches() || UNIQUE_ID.matcher(value).matches();
                    case "Service" -> value.equals("*") || SERVICE.matcher(value).matches();
                    default -> !value.isBlank();
                };
                if (!valid) {
                    throw new MalformedPolicyException(INVALID_PRINCIPALS);
                }
            }
            byType.put(type, values);
        }
        boolean anyone = byType.size() == 1 && byType.getOrDefault("AWS", List.of()).equals(List.of("*"));
        return anyone ? new PrincipalSpec(true, Map.of()) : new PrincipalSpec(false, byType);
    }

    private static List<ConditionClause> conditions(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isObject()) {
            throw new MalformedPolicyException("Syntax errors in policy.");
        }
        List<ConditionClause> clauses = new ArrayList<>();
        for (Map.Entry<String, JsonNode> op : node.properties()) {
            if (!op.getValue().isObject()) {
                throw new MalformedPolicyException("Syntax errors in policy.");
            }
            for (Map.Entry<String, JsonNode> key : op.getValue().properties()) {
                if (key.getKey().isEmpty()) {
                    throw new MalformedPolicyException("Syntax errors in policy.");
                }
                clauses.add(new ConditionClause(op.getKey(), key.getKey(), scalars(key.getValue())));
            }
        }
        return clauses;
    }

    private static List<String> scalars(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode item : node) {
                values.add(scalar(item));
            }
        } else {
            values.add(scalar(node));
        }
        return values;
    }

    private static String scalar(JsonNode node) {
        if (node.isTextual() || node.isBoolean() || node.isNumber()) {
            return node.asText();
        }
        throw new MalformedPolicyException("Syntax errors in policy.");
    }

    private static List<String> strings(JsonNode node, String element) {
        List<String> values = new ArrayList<>();
        if (node.isTextual()) {
            values.add(node.asText());
        } else if (node.isArray() && !node.isEmpty()) {
            for (JsonNode item : node) {
                if (!item.isTextual()) {
                    throw new MalformedPolicyException("Syntax errors in policy.");
                }
                values.add(item.asText());
            }
        } else {
            throw new MalformedPolicyException("Syntax errors in policy.");
        }
        for (String value : values) {
            if (value.isEmpty()) {
                throw new MalformedPolicyException("Policy statement contains an empty " + element + ".");
            }
        }
        return values;
    }

    private static String textOrNull(JsonNode node, String element) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new MalformedPolicyException("Syntax errors in policy.");
        }
        return node.asText();
    }
}
