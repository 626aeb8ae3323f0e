package io.kmswatch.streams.inventory;

import io.kmswatch.events.inventory.KeySnapshot;
import io.kmswatch.streams.detect.KeyFacts;
import java.time.Instant;

/**
 * Lays a {@link KeySnapshot} from the KMS API over what the event stream knows of a key. The snapshot
 * sets state, pending deletion date, rotation, origin and tags, unless the stream saw a state change
 * after the snapshot was taken (then the stream's state stands, the newer fact). A state the snapshot
 * sets counts as changed at the snapshot time, so CloudTrail records older than the snapshot that
 * arrive late no longer move it. First-seen and last-used times stay the stream's.
 */
public final class SnapshotFacts {
    private SnapshotFacts() {
    }

    /**
     * @param before the facts so far, or null for a key the stream has not seen
     * @return the facts after the snapshot; never null
     */
    public static KeyFacts apply(KeyFacts before, KeySnapshot s) {
        Instant t = s.snapshotTime();
        boolean streamNewer = before != null && before.stateChangedAt() != null && before.stateChangedAt().isAfter(t);
        Boolean rotation = s.customerManaged() ? s.rotationEnabled() : Boolean.TRUE; // AWS managed keys rotate yearly
        if (rotation == null && before != null) {
            rotation = before.rotationEnabled();
        }
        Instant firstSeen = before != null && before.firstSeen() != null ? before.firstSeen()
                : s.creationDate() != null ? s.creationDate() : t;
        Instant lastUsed = before != null ? before.lastUsed() : null;
        if (streamNewer) {
            return new KeyFacts(s.keyArn(), s.accountId(), s.region(), before.state(), rotation, s.origin(),
                    s.customerManaged() ? s.tags() : before.tags(), firstSeen, lastUsed, before.stateChangedAt(),
                    before.pendingDeletionDate(), before.lastStateChangeEventId(), before.lastStateChange(),
                    before.lastStateChangeBy());
        }
        if (s.keyState() == null) {
            // DescribeKey failed (see the snapshot's errors): nothing to lay over the stream's facts.
            return before != null ? before : KeyFacts.unseen(s.keyArn(), t);
        }
        boolean sameState = before != null && s.keyState().equals(before.state());
        return new KeyFacts(s.keyArn(), s.accountId(), s.region(), s.keyState(), rotation, s.origin(),
                s.customerManaged() || before == null ? s.tags() : before.tags(), firstSeen, lastUsed, t,
                "PendingDeletion".equals(s.keyState()) ? s.deletionDate() : null,
                sameState ? before.lastStateChangeEventId() : null, sameState ? before.lastStateChange() : null,
                sameState ? before.lastStateChangeBy() : null);
    }
}
