package io.kmswatch.streams.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.CloudTrailFixtures;
import io.kmswatch.streams.DetectionsConfig;
import io.kmswatch.streams.RuleSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Every detection together: a random mix of KMS traffic, delivered with each record displaced by less
 * than the grace (and some delivered twice), gives the same firings — fingerprint, tier, resolution —
 * as the same records delivered sorted once.
 */
class OutOfOrderProperties {
    private static final String[] KEYS = {
        "arn:aws:kms:us-east-1:111122223333:key/aaaaaaaa-0000-4000-8000-000000000001",
        "arn:aws:kms:us-east-1:111122223333:key/aaaaaaaa-0000-4000-8000-000000000002"};
    private static final String[] PRINCIPALS = {"arn:aws:iam::111122223333:role/app",
        "arn:aws:iam::111122223333:user/alice", "arn:aws:iam::444455556666:role/partner"};

    private static DetectionsConfig config() {
        // Small thresholds and learning periods so a two-hour mix exercises every stateful path.
        return DetectionsConfig.defaultConfig()
                .withRule("decrypt-spike", RuleSettings.unset().withFloor(8).withLearningPeriod(Duration.ofMinutes(30)))
                .withRule("access-denied-burst", RuleSettings.unset().withThreshold(3))
                .withRule("key-unusable-failures", RuleSettings.unset().withThreshold(3))
                .withRule("new-principal-on-key", RuleSettings.unset().withLearningPeriod(Duration.ofMinutes(40)))
                .withRule("new-source-ip", RuleSettings.unset().withLearningPeriod(Duration.ofMinutes(40)))
                .withRule("key-deletion-pending", RuleSettings.unset().withLeadTime(Duration.ofDays(7)));
    }

    private static CloudTrailEvent randomEvent(Random r, Instant at) {
        String key = KEYS[r.nextInt(KEYS.length)];
        String who = PRINCIPALS[r.nextInt(PRINCIPALS.length)];
        String ip = "198.51.100." + r.nextInt(4);
        int kind = r.nextInt(100);
        CloudTrailFixtures.Builder b;
        if (kind < 55) {
            b = CloudTrailFixtures.decrypt();
        } else if (kind < 65) {
            b = CloudTrailFixtures.decrypt().error("AccessDeniedException", "denied");
        } else if (kind < 72) {
            b = CloudTrailFixtures.decrypt().error("DisabledException", "disabled");
        } else if (kind < 78) {
            b = CloudTrailFixtures.disableKey();
        } else if (kind < 83) {
            b = CloudTrailFixtures.enableKey();
        } else if (kind < 87) {
            b = CloudTrailFixtures.scheduleKeyDeletion(7 + r.nextInt(3));
        } else if (kind < 90) {
            b = CloudTrailFixtures.cancelKeyDeletion();
        } else if (kind < 95) {
            b = CloudTrailFixtures.decrypt().invokedBy("secretsmanager.amazonaws.com");
        } else {
            b = CloudTrailFixtures.disableKeyRotation();
        }
        return b.key(key).principal(who).sourceIp(ip).recipientAccount("111122223333").at(at).build();
    }

    @Property(tries = 15)
    void shouldGiveTheSameFiringsForAnyDeliveryWithinTheGrace(@ForAll long seed,
                                                             @ForAll @IntRange(min = 40, max = 120) int n) {
        Random r = new Random(seed);
        Instant t0 = CloudTrailFixtures.T0;
        List<CloudTrailEvent> sorted = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // Two hours of traffic, denser at the end so spikes and bursts happen.
            long offset = i < n / 2 ? r.nextInt(3600) : 3600 + r.nextInt(i < 3 * n / 4 ? 3600 : 300);
            sorted.add(randomEvent(r, t0.plusSeconds(offset)));
        }
        sorted.sort(Comparator.comparing(CloudTrailEvent::eventTime));
        // Delivery order: sort by event time plus a random delay under ten minutes (grace is 15), add repeats.
        List<long[]> order = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            long delay = r.nextInt(600_000);
            order.add(new long[] {sorted.get(i).eventTime().toEpochMilli() + delay, i});
            if (r.nextInt(10) == 0) {
                order.add(new long[] {sorted.get(i).eventTime().toEpochMilli() + r.nextInt(600_000), i});
            }
        }
        order.sort(Comparator.comparingLong(a -> a[0]));
        List<CloudTrailEvent> delivered = order.stream().map(a -> sorted.get((int) a[1])).toList();

        // Stream-time punctuators tick once a minute from the first record's time, which depends on the
        // order; a settle tick just past the end (as a replay writes) makes the last decisions at the same
        // stream time in both runs, as the stream time of a live pipeline would go on to.
        Instant end = sorted.get(sorted.size() - 1).eventTime().plus(Duration.ofMinutes(2));
        assertThat(Harness.identities(config(), delivered, end)).isEqualTo(Harness.identities(config(), sorted, end));
    }

    /**
     * A mix whose last ScheduleKeyDeletion came due in the final minute of the input: without the settle
     * tick, the shuffled run's punctuator happened to decide it and the sorted run's did not.
     */
    @Example
    void shouldGiveTheSameFiringsWhenAScheduleComesDueInTheLastMinuteOfTheInput() {
        shouldGiveTheSameFiringsForAnyDeliveryWithinTheGrace(-3793874432L, 120);
    }
}
