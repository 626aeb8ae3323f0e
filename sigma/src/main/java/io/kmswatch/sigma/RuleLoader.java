package io.kmswatch.sigma;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads rule files into parsed documents and compiles each one; problems are collected, not thrown one by one. */
final class RuleLoader {
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder().build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Pattern TIMESPAN = Pattern.compile("(\\d+)([smhd])");
    private static final Set<String> LEVELS = Set.of("informational", "low", "medium", "high", "critical");
    private static final Set<String> CRITERIA = Set.of("gt", "gte", "lt", "lte", "eq", "neq");

    final List<RuleProblem> problems = new ArrayList<>();
    final List<Parsed> detections = new ArrayList<>();
    final List<ParsedCorrelation> correlations = new ArrayList<>();
    final List<ParsedFilter> filters = new ArrayList<>();
    private final ValueCompiler values;

    RuleLoader(LoadOptions options) {
        this.values = new ValueCompiler(options.placeholders());
    }

    record Doc(String file, int line, List<String> lines, JsonNode node) {
        int lineOf(String needle) {
            if (needle != null) {
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).contains(needle)) {
                        return line + i;
                    }
                }
            }
            return line;
        }
    }

    record Parsed(RuleInfo info, Expr condition, Doc doc) {
    }

    record ParsedCorrelation(SigmaCorrelation correlation, Doc doc) {
    }

    record ParsedFilter(SigmaFilter filter, Expr condition, Doc doc) {
    }

    /** Files and directories (walked for .yml/.yaml, in name order). */
    static List<Path> expand(List<Path> paths) {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(Files::isRegularFile).filter(f -> {
                        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                        return n.endsWith(".yml") || n.endsWith(".yaml");
                    }).sorted().forEach(out::add);
                } catch (IOException e) {
                    throw new SigmaException("cannot list rule directory " + p + ": " + e.getMessage(), e);
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }

    void loadFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add(new RuleProblem(file.toString(), 1, "?", "cannot read: " + e.getMessage()));
            return;
        }
        loadText(text, file.toString());
    }

    /** Splits multi-document YAML on {@code ---} lines and compiles each document. */
    void loadText(String text, String file) {
        String[] lines = text.split("\r?\n", -1);
        List<String> current = new ArrayList<>();
        int start = 1;
        for (int i = 0; i <= lines.length; i++) {
            boolean end = i == lines.length;
            String l = end ? null : lines[i];
            if (end || l.startsWith("---") && l.substring(3).isBlank()) {
                if (current.stream().anyMatch(s -> !s.isBlank() && !s.trim().startsWith("#"))) {
                    loadDoc(file, start, current);
                }
                current = new ArrayList<>();
                start = i + 2;
            } else {
                current.add(l);
            }
        }
    }

    private void loadDoc(String file, int start, List<String> lines) {
        JsonNode node;
        try {
            node = YAML.readTree(String.join("\n", lines));
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? start : start + Math.max(0, e.getLocation().getLineNr() - 1);
            problems.add(new RuleProblem(file, line, "?", "not valid YAML: " + e.getOriginalMessage()));
            return;
        }
        Doc doc = new Doc(file, start, lines, node);
        if (node == null || !node.isObject()) {
            problems.add(new RuleProblem(file, start, "?", "a rule document must be a YAML map"));
            return;
        }
        String label = label(node);
        try {
            if (node.has("action")) {
                throw new RuleError("'action' documents (the legacy multi-document format) are not supported", "action");
            }
            if (node.has("correlation")) {
                correlations.add(new ParsedCorrelation(correlation(doc), doc));
            } else if (node.has("filter")) {
                filters.add(filter(doc));
            } else if (node.has("detection")) {
                detections.add(detection(doc));
            } else {
                throw new RuleError("the document has no 'detection', 'correlation' or 'filter'", null);
            }
        } catch (RuleError e) {
            problems.add(new RuleProblem(file, doc.lineOf(e.near), label, e.getMessage()));
        }
    }

    private static String label(JsonNode n) {
        for (String k : List.of("id", "name", "title")) {
            if (n.hasNonNull(k) && n.get(k).isValueNode()) {
                return n.get(k).asText();
            }
        }
        return "?";
    }

    private static RuleInfo info(Doc doc, boolean needsTitle) {
        JsonNode n = doc.node();
        String title = text(n, "title");
        if (title == null) {
            if (needsTitle) {
                throw new RuleError("'title' is mandatory", null);
            }
            title = "";
        }
        String level = text(n, "level");
        if (level != null && !LEVELS.contains(level)) {
            throw new RuleError("level '" + level + "' is not one of " + LEVELS, "level");
        }
        String author = n.path("author").isArray() ? String.join(", ", strings(n, "author")) : text(n, "author");
        return new RuleInfo(text(n, "id"), text(n, "name"), title, text(n, "description"), author,
                strings(n, "references"), strings(n, "tags"), strings(n, "falsepositives"), level,
                text(n, "status"), doc.file(), doc.line());
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isValueNode()) {
            throw new RuleError("'" + key + "' must be a single value", key);
        }
        return v.asText();
    }

    private static List<String> strings(JsonNode n, String key) {
        JsonNode v = n.get(key);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isArray()) {
            v.forEach(e -> out.add(e.asText()));
        } else {
            out.add(v.asText());
        }
        return out;
    }

    private Parsed detection(Doc doc) {
        RuleInfo info = info(doc, true);
        checkLogsource(doc.node().get("logsource"), true);
        JsonNode det = doc.node().get("detection");
        if (!det.isObject()) {
            throw new RuleError("'detection' must be a map of search identifiers and a condition", "detection");
        }
        if (det.has("timeframe")) {
            throw new RuleError("'timeframe' belongs to the legacy aggregation syntax; write a correlation rule", "timeframe");
        }
        return new Parsed(info, compileDetection(det, Set.of("condition")), doc);
    }

    private Expr compileDetection(JsonNode det, Set<String> reserved) {
        Map<String, Expr> ids = new LinkedHashMap<>();
        det.fields().forEachRemaining(e -> {
            if (!reserved.contains(e.getKey())) {
                ids.put(e.getKey(), identifier(e.getKey(), e.getValue()));
            }
        });
        JsonNode cond = det.get("condition");
        if (cond == null || cond.isNull()) {
            throw new RuleError("'condition' is mandatory", "detection");
        }
        if (ids.isEmpty()) {
            throw new RuleError("the detection has no search identifier", "detection");
        }
        if (cond.isArray()) {
            List<Expr> any = new ArrayList<>();
            for (JsonNode c : cond) {
                any.add(ConditionParser.parse(c.asText(), ids));
            }
            if (any.isEmpty()) {
                throw new RuleError("empty condition list", "condition");
            }
            return any.size() == 1 ? any.get(0) : new Expr.Or(any);
        }
        if (!cond.isTextual()) {
            throw new RuleError("'condition' must be a string or a list of strings", "condition");
        }
        return ConditionParser.parse(cond.textValue(), ids);
    }

    private Expr identifier(String name, JsonNode v) {
        if (v == null || v.isNull() || v.isContainerNode() && v.isEmpty()) {
            throw new RuleError("search identifier '" + name + "' is empty", name + ":");
        }
        if (v.isObject()) {
            return map(v);
        }
        if (v.isArray()) {
            List<Expr> any = new ArrayList<>();
            List<JsonNode> keywords = new ArrayList<>();
            for (JsonNode e : v) {
                if (e.isObject()) {
                    any.add(map(e));
                } else if (e.isArray()) {
                    throw new RuleError("search identifier '" + name + "': a list inside a list", name + ":");
                } else {
                    keywords.add(e);
                }
            }
            if (!keywords.isEmpty()) {
                any.add(values.compile("", YAML.valueToTree(keywords)));
            }
            return any.size() == 1 ? any.get(0) : new Expr.Or(any);
        }
        return values.compile("", v);
    }

    private Expr map(JsonNode m) {
        List<Expr> all = new ArrayList<>();
        m.fields().forEachRemaining(e -> all.add(values.compile(e.getKey(), e.getValue())));
        if (all.isEmpty()) {
            throw new RuleError("an empty map in a search identifier", null);
        }
        return all.size() == 1 ? all.get(0) : new Expr.And(all);
    }

    private static void checkLogsource(JsonNode ls, boolean mandatory) {
        if (ls == null || ls.isNull()) {
            if (mandatory) {
                throw new RuleError("'logsource' is mandatory (product: aws, service: cloudtrail)", null);
            }
            return;
        }
        String product = ls.path("product").asText(null);
        String service = ls.path("service").asText(null);
        if (product == null || !product.equalsIgnoreCase("aws")
                || service != null && !service.equalsIgnoreCase("cloudtrail")) {
            throw new RuleError("logsource " + ls + " is not AWS CloudTrail: kmswatch runs rules for product: aws, "
                    + "service: cloudtrail", "logsource");
        }
    }

    private ParsedFilter filter(Doc doc) {
        RuleInfo info = info(doc, true);
        checkLogsource(doc.node().get("logsource"), true);
        JsonNode f = doc.node().get("filter");
        if (!f.isObject()) {
            throw new RuleError("'filter' must be a map with rules, selections and a condition", "filter");
        }
        List<String> rules = strings(f, "rules");
        if (rules.isEmpty()) {
            throw new RuleError("filter.rules is mandatory: the ids or names of the rules it applies to", "rules");
        }
        Expr cond = compileDetection(f, Set.of("rules", "condition"));
        return new ParsedFilter(new SigmaFilter(info, rules), cond, doc);
    }

    private SigmaCorrelation correlation(Doc doc) {
        RuleInfo info = info(doc, true);
        JsonNode c = doc.node().get("correlation");
        if (!c.isObject()) {
            throw new RuleError("'correlation' must be a map", "correlation");
        }
        String t = text(c, "type");
        SigmaCorrelation.Type type = t == null ? null : SigmaCorrelation.Type.of(t);
        if (type == null) {
            throw new RuleError("correlation type '" + t + "' is not one of event_count, value_count, temporal, "
                    + "temporal_ordered, value_sum, value_avg, value_percentile", "type");
        }
        List<String> rules = strings(c, "rules");
        if (rules.isEmpty()) {
            throw new RuleError("correlation.rules is mandatory", "rules");
        }
        if (rules.stream().distinct().count() != rules.size()) {
            throw new RuleError("correlation.rules lists a rule twice", "rules");
        }
        List<String> groupBy = strings(c, "group-by");
        String ts = text(c, "timespan");
        if (ts == null) {
            throw new RuleError("correlation.timespan is mandatory", "correlation");
        }
        Matcher m = TIMESPAN.matcher(ts);
        if (!m.matches()) {
            throw new RuleError("timespan '" + ts + "' is not a number and s, m, h or d (e.g. 90m)", "timespan");
        }
        long n = Long.parseLong(m.group(1));
        Duration timespan = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (timespan.isZero()) {
            throw new RuleError("timespan must be positive", "timespan");
        }
        List<SigmaCorrelation.Criterion> criteria = new ArrayList<>();
        String field = null;
        int percentile = 50;
        JsonNode cond = c.get("condition");
        if (cond != null && !cond.isNull()) {
            if (!cond.isObject()) {
                throw new RuleError("correlation.condition must be a map (gte: 10)", "condition");
            }
            var it = cond.fields();
            while (it.hasNext()) {
                var e = it.next();
                String k = e.getKey();
                if (k.equals("field")) {
                    if (!e.getValue().isTextual()) {
                        throw new RuleError("condition.field must be one field name", "field");
                    }
                    field = e.getValue().textValue();
                } else if (k.equals("percentile") && type == SigmaCorrelation.Type.VALUE_PERCENTILE) {
                    percentile = e.getValue().asInt(-1);
                    if (!e.getValue().isIntegralNumber() || percentile < 1 || percentile > 100) {
                        throw new RuleError("condition.percentile must be a whole number from 1 to 100", "percentile");
                    }
                } else if (CRITERIA.contains(k)) {
                    if (!e.getValue().isNumber()) {
                        throw new RuleError("condition." + k + " must be a number", k + ":");
                    }
                    criteria.add(new SigmaCorrelation.Criterion(k, e.getValue().doubleValue()));
                } else {
                    throw new RuleError("unknown correlation condition '" + k + "' (gt, gte, lt, lte, eq, neq, field)",
                            k + ":");
                }
            }
        }
        boolean temporal = type == SigmaCorrelation.Type.TEMPORAL || type == SigmaCorrelation.Type.TEMPORAL_ORDERED;
        if (criteria.isEmpty() && !temporal) {
            throw new RuleError(type.value() + " needs a condition (e.g. gte: 10)", "correlation");
        }
        if (type.needsField() && field == null) {
            throw new RuleError(type.value() + " needs condition.field", "condition");
        }
        if (!type.needsField() && field != null) {
            throw new RuleError(type.value() + " takes no condition.field", "field");
        }
        Map<String, Map<String, String>> aliases = new LinkedHashMap<>();
        JsonNode al = c.get("aliases");
        if (al != null && !al.isNull()) {
            if (!al.isObject()) {
                throw new RuleError("aliases must be a map: alias → {rule name: field}", "aliases");
            }
            var it = al.fields();
            while (it.hasNext()) {
                var e = it.next();
                if (!e.getValue().isObject()) {
                    throw new RuleError("alias '" + e.getKey() + "' must map rule names to fields", e.getKey() + ":");
                }
                Map<String, String> per = new LinkedHashMap<>();
                e.getValue().fields().forEachRemaining(r -> per.put(r.getKey(), r.getValue().asText()));
                aliases.put(e.getKey(), per);
            }
        }
        JsonNode gen = c.has("generate") ? c.get("generate") : doc.node().get("generate");
        if (gen != null && !gen.isBoolean()) {
            throw new RuleError("generate must be true or false", "generate");
        }
        return new SigmaCorrelation(info, type, rules, groupBy, timespan, criteria, field, percentile, aliases,
                gen != null && gen.booleanValue());
    }
}
