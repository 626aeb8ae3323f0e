package io.kmswatch.streams.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.events.Runbook;
import io.kmswatch.events.Severity;
import io.kmswatch.events.inventory.KeyPosture;
import io.kmswatch.events.inventory.KeySnapshot;
import io.kmswatch.events.inventory.PostureFinding;
import io.kmswatch.events.policy.PolicyAnalyzer;
import io.kmswatch.streams.detect.Runbooks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The posture detections: {@code posture-key-pending-deletion} (KMS.3), {@code posture-rotation-disabled}
 * (KMS.4), {@code posture-key-public} (KMS.5) and {@code posture-grant-external}, from the snapshots of
 * {@code kms-key-inventory} ({@link KeyPosture}), kept current by the events.
 *
 * <p>A finding fires once, when a snapshot first shows it (a standing finding seen again by the next
 * refresh stays quiet: the open findings per key are kept in the store {@value #STORE}), and resolves
 * when it clears: in a later snapshot, or as soon as the stream sees the fix — CancelKeyDeletion or
 * DeleteKey, EnableKeyRotation, a PutKeyPolicy whose policy no longer opens the key to everyone, the
 * RevokeGrant or RetireGrant of the last external grant. New problems that happen between snapshots
 * are the event detections' to report ({@code key-deletion-scheduled}, {@code key-rotation-disabled},
 * {@code key-policy-opened}, {@code grant-to-external-principal}); the next snapshot adds them here.
 * Input values are {@link KeySnapshot}s and {@link CloudTrailEvent}s keyed by key ARN.
 */
public final class PostureProcessor implements Processor<String, Object, String, Detection> {
    public static final String STORE = "kmswatch-key-posture";

    private final Predicate<String> trustedAccount;
    private ProcessorContext<String, Detection> context;
    private KeyValueStore<String, PostureState> store;

    public PostureProcessor(Predicate<String> trustedAccount) {
        this.trustedAccount = trustedAccount;
    }

    @Override
    public void init(ProcessorContext<String, Detection> ctx) {
        this.context = ctx;
        this.store = ctx.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, Object> record) {
        if (record.value() instanceof KeySnapshot s) {
            snapshot(record, s);
        } else if (record.value() instanceof CloudTrailEvent e && e.isKms() && e.succeeded() && e.keyArn() != null) {
            event(record, e);
        }
    }

    private void snapshot(Record<String, Object> record, KeySnapshot s) {
        PostureState before = store.get(s.keyArn());
        Map<String, Instant> open = new HashMap<>(before == null ? Map.of() : before.open());
        KeyPosture posture = KeyPosture.of(s, trustedAccount);
        long ts = s.snapshotTime().toEpochMilli();
        List<String> now = posture.alertedIds();
        for (PostureFinding f : posture.findings()) {
            if (now.contains(f.id()) && !open.containsKey(f.id())) {
                open.put(f.id(), s.snapshotTime());
                context.forward(record.withKey(fingerprint(f.id(), s.keyArn())).withValue(firing(f, s)).withTimestamp(ts));
            }
        }
        for (String id : List.copyOf(open.keySet())) {
            if (!now.contains(id)) {
                open.remove(id);
                context.forward(record.withKey(fingerprint(id, s.keyArn()))
                        .withValue(resolve(id, s.keyArn(), s.snapshotTime(), List.of(),
                                "the KMS API inventory of " + s.snapshotTime() + " no longer shows it"))
                        .withTimestamp(ts));
            }
        }
        save(s.keyArn(), new PostureState(open, posture.externalGrants().stream().map(g -> g.grantId()).toList()));
    }

    private void event(Record<String, Object> record, CloudTrailEvent e) {
        String arn = e.keyArn();
        PostureState st = store.get(arn);
        if (st == null || st.isEmpty()) {
            return;
        }
        Map<String, Instant> open = new HashMap<>(st.open());
        List<String> grants = new ArrayList<>(st.externalGrants());
        List<String> cleared = new ArrayList<>();
        switch (e.operation()) {
            case CANCEL_KEY_DELETION -> cleared.add(KeyPosture.PENDING_DELETION);
            case DELETE_KEY -> cleared.addAll(open.keySet());
            case ENABLE_KEY_ROTATION -> cleared.add(KeyPosture.ROTATION_DISABLED);
            case PUT_KEY_POLICY -> {
                JsonNode policy = e.requestParameters().get("policy");
                boolean stillPublic = policy != null && PolicyAnalyzer.openings(policy, e.keyAccountId(), trustedAccount)
                        .stream().anyMatch(o -> "public".equals(o.kind()));
                if (policy != null && !stillPublic) {
                    cleared.add(KeyPosture.PUBLIC);
                }
            }
            case REVOKE_GRANT, RETIRE_GRANT -> {
                String grantId = e.requestParameters().path("grantId").asText(null);
                if (grantId != null && grants.remove(grantId) && grants.isEmpty()) {
                    cleared.add(KeyPosture.GRANT_EXTERNAL);
                }
            }
            default -> {
                return;
            }
        }
        for (String id : cleared) {
            if (open.remove(id) != null) {
                context.forward(record.withKey(fingerprint(id, arn))
                        .withValue(resolve(id, arn, e.eventTime(), List.of(e.eventId()), e.eventName() + " by " + e.principal())));
            }
        }
        save(arn, new PostureState(open, grants));
    }

    private void save(String arn, PostureState st) {
        if (st.isEmpty()) {
            store.delete(arn);
        } else {
            store.put(arn, st);
        }
    }

    /** Stable across snapshots and restarts: one finding kind on one key. */
    static String fingerprint(String id, String keyArn) {
        return id + "|" + keyArn;
    }

    private static Detection firing(PostureFinding f, KeySnapshot s) {
        Map<String, String> attrs = new HashMap<>();
        attrs.put("source", "inventory");
        attrs.put("snapshotTime", s.snapshotTime().toString());
        attrs.put("detail", f.detail());
        if (f.control() != null) {
            attrs.put("control", f.control());
        }
        return new Detection(fingerprint(f.id(), s.keyArn()), f.id(), f.severity(), f.title(),
                f.title() + " (" + (f.control() == null ? "" : "Security Hub " + f.control() + "; ")
                        + "found by the KMS API inventory). " + f.detail(),
                s.keyArn(), s.accountId(), s.region(), null, s.snapshotTime(), s.snapshotTime(), 1, 0, List.of(),
                runbook(f.id(), s.keyArn(), s.region()), attrs, false);
    }

    private static Detection resolve(String id, String arn, Instant at, List<String> evidence, String why) {
        String region = io.kmswatch.events.KeyArns.regionOf(arn);
        return new Detection(fingerprint(id, arn), id, Severity.INFO, id + " cleared on " + arn + ": " + why, why,
                arn, io.kmswatch.events.KeyArns.accountOf(arn), region, null, at, at, 1, 0, evidence,
                Runbook.empty(), Map.of("source", "inventory"), true);
    }

    private static Runbook runbook(String id, String arn, String region) {
        return switch (id) {
            case KeyPosture.PENDING_DELETION -> Runbooks.forKey(arn, region, List.of(
                    "Is the deletion planned? Who scheduled it (CloudTrail ScheduleKeyDeletion)?",
                    "Is anything still encrypted under the key?"), Runbooks.cancelKeyDeletion(arn, region),
                    Runbooks.enableKey(arn, region));
            case KeyPosture.ROTATION_DISABLED -> Runbooks.forKey(arn, region, List.of(
                    "Is there a reason this key must not rotate?"),
                    "aws kms enable-key-rotation --key-id " + arn + " --region " + region);
            case KeyPosture.PUBLIC -> Runbooks.forKey(arn, region, List.of(
                    "Which statement allows Principal * without a condition on the caller's account or organisation?",
                    "Has anyone outside the organisation used the key (cross-account-key-use)?"),
                    Runbooks.getKeyPolicy(arn, region));
            default -> Runbooks.forKey(arn, region, List.of(
                    "Who owns the grantee's account? Is sharing with it approved?",
                    "If not, revoke the grant (aws kms revoke-grant --key-id <key> --grant-id <id>)."),
                    Runbooks.listGrants(arn, region));
        };
    }
}
