package io.kmswatch.ingest.inventory;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kmswatch.events.Json;
import io.kmswatch.events.inventory.KeyGrant;
import io.kmswatch.events.inventory.KeyPosture;
import io.kmswatch.events.inventory.KeySnapshot;
import io.kmswatch.events.inventory.PostureFinding;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@code kmswatch inventory}'s output: one row per key and the posture findings ({@link KeyPosture}).
 *
 * <p>JSON ({@code --json}):
 * <pre>{@code
 * {"keys": [{"keyArn", "accountId", "region", "keyManager", "keyState", "origin", "keySpec", "keyUsage",
 *            "rotationEnabled", "rotationPeriodInDays", "deletionDate", "multiRegion", "primaryKeyArn",
 *            "aliases": [...], "tags": {...}, "public": bool, "externalAccounts": [...],
 *            "externalGrants": [{"grantId", "granteePrincipal", "operations"}], "iamDecides": bool,
 *            "errors": {operation: message}}],
 *  "findings": [{"id", "control", "severity", "keyArn", "title", "detail"}],
 *  "failures": ["account/region: why"],
 *  "took": "PT12.3S", "requests": {operation: n}}
 * }</pre>
 */
public final class InventoryReport {
    private final InventoryResult result;
    private final List<KeyPosture> postures = new ArrayList<>();

    public InventoryReport(InventoryResult result, Predicate<String> trustedAccount) {
        this.result = result;
        for (KeySnapshot k : result.keys()) {
            postures.add(KeyPosture.of(k, trustedAccount));
        }
    }

    /** Every finding, in key order. */
    public List<PostureFinding> findings() {
        return postures.stream().flatMap(p -> p.findings().stream()).toList();
    }

    public ObjectNode toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode keys = root.putArray("keys");
        for (int i = 0; i < result.keys().size(); i++) {
            KeySnapshot k = result.keys().get(i);
            KeyPosture p = postures.get(i);
            ObjectNode row = keys.addObject();
            row.put("keyArn", k.keyArn()).put("accountId", k.accountId()).put("region", k.region())
                    .put("keyManager", k.keyManager()).put("keyState", k.keyState()).put("origin", k.origin())
                    .put("keySpec", k.keySpec()).put("keyUsage", k.keyUsage());
            if (k.rotationEnabled() == null) {
                row.putNull("rotationEnabled");
            } else {
                row.put("rotationEnabled", k.rotationEnabled());
            }
            if (k.rotationPeriodInDays() == null) {
                row.putNull("rotationPeriodInDays");
            } else {
                row.put("rotationPeriodInDays", k.rotationPeriodInDays());
            }
            row.put("deletionDate", k.deletionDate() == null ? null : k.deletionDate().toString());
            row.put("multiRegion", k.multiRegionRole());
            row.put("primaryKeyArn", k.primaryKeyArn());
            ArrayNode aliases = row.putArray("aliases");
            k.aliases().forEach(aliases::add);
            ObjectNode tags = row.putObject("tags");
            k.tags().forEach(tags::put);
            row.put("public", !p.publicOpenings().isEmpty());
            ArrayNode ext = row.putArray("externalAccounts");
            p.externalAccounts().forEach(ext::add);
            ArrayNode grants = row.putArray("externalGrants");
            for (KeyGrant g : p.externalGrants()) {
                ObjectNode gn = grants.addObject().put("grantId", g.grantId()).put("granteePrincipal", g.granteePrincipal());
                g.operations().forEach(gn.putArray("operations")::add);
            }
            row.put("iamDecides", p.iamDecides());
            ObjectNode errors = row.putObject("errors");
            k.errors().forEach(errors::put);
        }
        ArrayNode findings = root.putArray("findings");
        for (PostureFinding f : findings()) {
            findings.addObject().put("id", f.id()).put("control", f.control()).put("severity", f.severity().name())
                    .put("keyArn", f.keyArn()).put("title", f.title()).put("detail", f.detail());
        }
        ArrayNode failures = root.putArray("failures");
        result.failures().forEach(failures::add);
        root.put("took", result.took().toString());
        ObjectNode requests = root.putObject("requests");
        result.requests().forEach(requests::put);
        return root;
    }

    /** A table of keys, then the findings, for people. */
    public void print(PrintWriter out) {
        out.printf("%-76s %-8s %-16s %-9s %-17s %-8s %-10s %-20s %s%n", "key", "manager", "state", "origin", "spec",
                "rotation", "multi-Reg", "deletion", "aliases / access");
        for (int i = 0; i < result.keys().size(); i++) {
            KeySnapshot k = result.keys().get(i);
            KeyPosture p = postures.get(i);
            List<String> access = new ArrayList<>(k.aliases());
            if (!p.publicOpenings().isEmpty()) {
                access.add("PUBLIC");
            }
            p.externalAccounts().forEach(a -> access.add("policy:" + a));
            p.externalGrants().forEach(g -> access.add("grant:" + g.granteePrincipal()));
            if (p.iamDecides()) {
                access.add("iam-decides");
            }
            k.errors().keySet().forEach(op -> access.add("error:" + op));
            String rotation = k.rotationEnabled() == null ? "-"
                    : k.rotationEnabled() ? "on/" + (k.rotationPeriodInDays() == null ? "?" : k.rotationPeriodInDays()) + "d" : "off";
            out.printf("%-76s %-8s %-16s %-9s %-17s %-8s %-10s %-20s %s%n", k.keyArn(), k.keyManager(), k.keyState(),
                    k.origin(), k.keySpec(), rotation, k.multiRegionRole() == null ? "-" : k.multiRegionRole(),
                    k.deletionDate() == null ? "-" : k.deletionDate().toString(), String.join(" ", access));
        }
        out.println();
        List<PostureFinding> all = findings();
        out.println(all.isEmpty() ? "no findings" : all.size() + " findings:");
        for (PostureFinding f : all) {
            out.printf("  %-8s %-6s %-30s %s%n", f.severity(), f.control() == null ? "-" : f.control(), f.id(), f.title());
        }
        for (String failure : result.failures()) {
            out.println("  FAILED   " + failure);
        }
        out.printf("%d keys in %s%n", result.keys().size(), result.took());
    }
}
