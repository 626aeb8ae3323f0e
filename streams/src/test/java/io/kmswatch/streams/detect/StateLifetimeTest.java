package io.kmswatch.streams.detect;

import static io.kmswatch.events.CloudTrailFixtures.ACCOUNT;
import static io.kmswatch.events.CloudTrailFixtures.KEY_ARN;
import static io.kmswatch.events.CloudTrailFixtures.T0;
import static io.kmswatch.events.CloudTrailFixtures.decrypt;
import static io.kmswatch.events.CloudTrailFixtures.disableKey;
import static io.kmswatch.events.CloudTrailFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.CloudTrailFixtures;
import io.kmswatch.events.Detection;
import io.kmswatch.streams.DetectionsConfig;
import io.kmswatch.streams.RuleSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the detections learn lives for its configured lifetime after it was last seen, then leaves the stores. */
class StateLifetimeTest {
    private static final String NEWCOMER = "arn:aws:iam::111122223333:role/newcomer";
    private static final String OTHER_KEY = "arn:aws:kms:us-east-1:111122223333:key/ffffffff-0000-0000-0000-000000000009";
    private static final String FOREIGN = "arn:aws:iam::444455556666:role/reader";
    private static final Instant LEARNED = T0.plus(Duration.ofDays(1));

    /** Another key's call: moves event time (and stream time, so punctuators run) without touching KEY_ARN. */
    private static CloudTrailFixtures.Builder elsewhere(Instant at) {
        return decrypt().key(OTHER_KEY).at(at);
    }

    /** A trusted partner account's Decrypt on our key, as the key owner's trail shows it (a new eventID each time). */
    private static CloudTrailFixtures.Builder partner() {
        return decrypt().principal(FOREIGN).recipientAccount(ACCOUNT);
    }

    private static long count(List<Detection> out, String id) {
        return out.stream().filter(d -> d.detection().equals(id)).count();
    }

    @Test
    void shouldForgetAPrincipalOnAKeyAfterForgetAfterWithoutUseAndReportItAsNewWhenItReturns() {
        String id = NewPrincipalOnKeyDetection.ID;
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(id)
                .withRule(id, RuleSettings.unset().withForgetAfter(Duration.ofDays(10)));
        try (Harness h = new Harness(c)) {
            // the key is used daily by its own role (so the key itself stays known); the newcomer once
            h.pipe(decrypt().at(T0), decrypt().principal(NEWCOMER).at(LEARNED), elsewhere(LEARNED.plus(Duration.ofHours(1))));
            assertThat(count(h.detections(), id)).isEqualTo(1);
            for (int day = 2; day <= 12; day++) {
                h.pipe(decrypt().at(T0.plus(Duration.ofDays(day))));
            }
            h.pipe(elsewhere(T0.plus(Duration.ofDays(12)).plusSeconds(120)));
            assertThat(h.<Sighting>store("kmswatch-" + id).get(KEY_ARN + "|" + NEWCOMER))
                    .as("swept 10 days after its only sighting").isNull();
            assertThat(h.<Sighting>store("kmswatch-" + id).get(KEY_ARN)).as("the key, seen daily, is kept").isNotNull();

            Instant back = T0.plus(Duration.ofDays(13));
            h.pipe(decrypt().principal(NEWCOMER).at(back), elsewhere(back.plus(Duration.ofMinutes(17))));
            assertThat(h.detections()).singleElement().satisfies(d -> assertThat(d.principal()).isEqualTo(NEWCOMER));
        }
    }

    @Test
    void shouldKeepAPrincipalThatKeepsComingBackWithinForgetAfter() {
        String id = NewPrincipalOnKeyDetection.ID;
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(id)
                .withRule(id, RuleSettings.unset().withForgetAfter(Duration.ofDays(10)));
        try (Harness h = new Harness(c)) {
            h.pipe(decrypt().at(T0), decrypt().principal(NEWCOMER).at(LEARNED), elsewhere(LEARNED.plus(Duration.ofHours(1))));
            assertThat(count(h.detections(), id)).isEqualTo(1);
            // every 8 days, 40 days long: never 10 days without a sighting, so never new again
            for (int day = 9; day <= 41; day += 8) {
                Instant t = T0.plus(Duration.ofDays(day));
                h.pipe(decrypt().at(t), decrypt().principal(NEWCOMER).at(t.plusSeconds(1)), elsewhere(t.plus(Duration.ofMinutes(20))));
            }
            assertThat(h.detections()).isEmpty();
            assertThat(h.<Sighting>store("kmswatch-" + id).get(KEY_ARN + "|" + NEWCOMER).firstMs())
                    .isEqualTo(LEARNED.toEpochMilli());
        }
    }

    @Test
    void shouldForgetAnIdleDecryptSpikeEntityAfterThirtyDaysByDefault() {
        String id = DecryptSpikeDetection.ID;
        try (Harness h = Harness.only(id)) {
            h.pipe(decrypt().at(T0), elsewhere(T0.plus(Duration.ofDays(29))));
            assertThat(h.<Sighting>store("kmswatch-" + id + "-key-first-seen").get(KEY_ARN)).isNotNull();
            h.pipe(elsewhere(T0.plus(Duration.ofDays(30)).plus(Duration.ofMinutes(2))));
            assertThat(h.<Sighting>store("kmswatch-" + id + "-key-first-seen").get(KEY_ARN)).isNull();
            assertThat(h.<Sighting>store("kmswatch-" + id + "-key-first-seen").get(OTHER_KEY)).isNotNull();
        }
    }

    @Test
    void shouldNoticeATrustedPartnerAgainOnlyAfterForgetAfterWithoutUse() {
        String id = CrossAccountKeyUseDetection.ID;
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(id)
                .withTrustedAccounts(List.of(ACCOUNT, "444455556666"));
        try (Harness h = new Harness(c)) {
            Instant first = LEARNED.plusSeconds(1);
            h.pipe(decrypt().at(T0), partner().at(first), partner().at(first.plus(Duration.ofDays(80))));
            assertThat(h.detections()).as("one notice; 80 days later the partner is still known").hasSize(1);
            // 80 + 91 days: more than the default 90 days since the last use
            Instant back = first.plus(Duration.ofDays(171));
            h.pipe(decrypt().at(back.minusSeconds(60)));
            assertThat(h.<Sighting>store(CrossAccountKeyUseDetection.SEEN).get(KEY_ARN + "|444455556666"))
                    .as("swept").isNull();
            h.pipe(partner().at(back));
            assertThat(h.detections()).singleElement().satisfies(d -> assertThat(d.attributes()).containsEntry("trustedPair", "true"));
        }
    }

    @Test
    void shouldDeleteADestructionChainEntryOnceNothingInItCanPairOrEscalate() {
        String id = KeyDestructionChainDetection.ID;
        try (Harness h = Harness.only(id)) {
            h.pipe(disableKey().at(T0));
            assertThat(h.store(KeyDestructionChainDetection.STORE).get(KEY_ARN)).isNotNull();
            // window 24 h + grace 15 min later, at the next hourly sweep, the lone DisableKey can pair with nothing
            h.pipe(elsewhere(T0.plus(Duration.ofHours(26))));
            assertThat(h.store(KeyDestructionChainDetection.STORE).get(KEY_ARN)).isNull();
            assertThat(h.detections()).isEmpty();
        }
    }

    @Test
    void shouldForgetADeletedKeyInTheInventoryAfterTheDeletedKeyRetention() {
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(KeyDisabledDetection.ID)
                .withDeletedKeyRetention(Duration.ofDays(7));
        var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        try (Harness h = new Harness(c)) {
            h.metrics.bindTo(registry);
            h.pipe(decrypt().at(T0), event("DeleteKey").at(T0.plus(Duration.ofDays(1))));
            assertThat(h.<KeyFacts>store("kmswatch-key-inventory").get(KEY_ARN).state()).isEqualTo("Deleted");
            assertThat(gauge(registry, "Deleted")).isEqualTo(1);
            h.pipe(elsewhere(T0.plus(Duration.ofDays(7)).plus(Duration.ofHours(23))));
            assertThat(h.<KeyFacts>store("kmswatch-key-inventory").get(KEY_ARN)).as("6 d 23 h after deletion").isNotNull();
            h.pipe(elsewhere(T0.plus(Duration.ofDays(8)).plus(Duration.ofHours(2))));
            assertThat(h.<KeyFacts>store("kmswatch-key-inventory").get(KEY_ARN)).as("7 d 2 h after deletion").isNull();
            assertThat(gauge(registry, "Deleted")).isZero();
            assertThat(h.<KeyFacts>store("kmswatch-key-inventory").get(OTHER_KEY)).isNotNull();
        }
    }

    private static double gauge(io.micrometer.core.instrument.MeterRegistry registry, String state) {
        var g = registry.find("kmswatch.streams.keys").tag("state", state).gauge();
        return g == null ? 0 : g.value();
    }
}
