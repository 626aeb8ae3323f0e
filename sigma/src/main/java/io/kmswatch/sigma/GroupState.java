package io.kmswatch.sigma;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The window of one correlation for one group: hits not yet final ({@code pending}: stream time has not passed
 * their time plus the grace) and hits released in event-time order into the {@code window}. Plain data, so a
 * store can keep it as JSON.
 *
 * @param top     the alerting correlation whose chain this belongs to
 * @param corr    the correlation this window is of
 * @param group   the group-by values, in the correlation's group-by order
 * @param pending hits still waiting for the grace to pass (any order)
 * @param window  released hits, in (time, eventId) order
 */
public record GroupState(String top, String corr, List<String> group, List<Entry> pending, List<Entry> window) {
    public GroupState {
        group = List.copyOf(group);
        pending = List.copyOf(pending);
        window = List.copyOf(window);
    }

    /** One hit: the referenced rule (its index in the correlation's rules), its event time and id, its value. */
    public record Entry(long time, int rule, String eventId, String value) {
        static final Comparator<Entry> ORDER = Comparator.comparingLong(Entry::time).thenComparing(Entry::eventId);
    }

    GroupState with(List<Entry> newPending, List<Entry> newWindow) {
        return new GroupState(top, corr, group, newPending, newWindow);
    }

    boolean isEmpty() {
        return pending.isEmpty() && window.isEmpty();
    }

    List<Entry> pendingCopy() {
        return new ArrayList<>(pending);
    }
}
