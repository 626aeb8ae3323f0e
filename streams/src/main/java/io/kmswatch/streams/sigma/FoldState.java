package io.kmswatch.streams.sigma;

import java.util.ArrayList;
import java.util.List;

/**
 * The matches of one Sigma detection rule by one caller on one key (or in one account and region) since the match
 * that raised an alert: what the roll-up at the end of the fold period reports.
 *
 * @param rule      the rule's id (or name)
 * @param start     event time of the match that raised the alert (epoch ms)
 * @param last      latest event time folded (epoch ms)
 * @param folded    matches folded after the first
 * @param evidence  event ids of the first {@value #MAX_EVIDENCE} folded matches
 * @param keyArn    the key, or null
 * @param accountId the account of the first match
 * @param region    its region
 * @param principal the caller, or null
 * @param eventName the first match's eventName
 */
public record FoldState(String rule, long start, long last, long folded, List<String> evidence, String keyArn,
                        String accountId, String region, String principal, String eventName) {
    /**
     * Evidence kept per fold period (the count keeps counting): few, because the state of a busy group is written
     * to the changelog on every commit and its size is what that costs.
     */
    public static final int MAX_EVIDENCE = 5;

    public FoldState {
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
    }

    /** This state with one more folded match. */
    FoldState plus(long time, String eventId) {
        List<String> ev = evidence;
        if (ev.size() < MAX_EVIDENCE && eventId != null) {
            ev = new ArrayList<>(evidence);
            ev.add(eventId);
        }
        return new FoldState(rule, start, Math.max(last, time), folded + 1, ev, keyArn, accountId, region, principal,
                eventName);
    }
}
