package io.kmswatch.streams.detect;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.events.KeyArns;
import io.kmswatch.events.Severity;
import io.kmswatch.streams.RuleSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import io.kmswatch.streams.state.StoreSweeper;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * {@code cross-account-key-use}: a successful cryptographic call on our key by a principal of another
 * account. The key owner's copy of the record counts ({@code recipientAccountId} is the key's account,
 * or absent); the caller's copy of the same call (same {@code sharedEventID}) is the other account's
 * business. An untrusted pair fires on first use in a {@code window} (default 1 day) and again at
 * higher tiers of use; the first use ever of a trusted pair is a low-severity notice, unless the key has been
 * observed for less than {@code learningPeriod} (default 1 day): like the novelty detections, the rule first
 * learns which trusted partners use a key, silently, so that starting kmswatch (or a key's first day) does not
 * announce every partnership. A pair is trusted
 * only when both sides are: the caller (a trusted account or principal) and the key's owner (a trusted
 * account; list your own accounts in {@code trustedAccounts}). A trusted caller using a key of an
 * untrusted owner is not this rule's business: that is our data going under someone else's key, which
 * {@code external-key-encryption} reports. AWS itself (service events, AWSService identities) has no
 * account to blame. A trusted pair is remembered {@code forgetAfter} (default 90 days) after its last use: a
 * partner back after longer gets the first-use notice again, and a sweep deletes forgotten pairs.
 */
public final class CrossAccountKeyUseDetection implements DetectionRule {
    public static final String ID = "cross-account-key-use";
    static final String STORE = "kmswatch-" + ID;
    static final String SEEN = "kmswatch-" + ID + "-trusted-seen";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public RuleSettings defaults() {
        return RuleSettings.unset().withEnabled(true).withSeverity(Severity.HIGH).withThreshold(1)
                .withWindow(Duration.ofDays(1)).withLearningPeriod(Duration.ofDays(1))
                .withForgetAfter(Duration.ofDays(90));
    }

    static boolean counts(CloudTrailEvent e) {
        if (!e.isKms() || !e.succeeded() || !e.operation().isCryptographic() || !e.isCrossAccount()
                || Callers.isAwsItself(e)) {
            return false;
        }
        String recipient = e.recipientAccountId();
        return recipient == null || recipient.equals(e.keyAccountId());
    }

    @Override
    public KStream<String, Detection> detect(KStream<String, KeyEvent> events, RuleContext ctx) {
        Duration window = ctx.settings().window();
        ctx.windowStore(STORE, CountingProcessor.retention(window, ctx.grace(), 0), window, WindowBucket.class);
        ctx.keyValueStore(SEEN, Sighting.class);
        long ttl = ctx.settings().forgetAfter().toMillis();
        long step = Sighting.refreshStep(ttl);
        return events.process(() -> new CountingProcessor(ID, STORE, window, ctx.grace(), ctx.metrics()) {
            private KeyValueStore<String, Sighting> trustedSeen;
            private long newestMs = Long.MIN_VALUE;

            @Override
            public void init(org.apache.kafka.streams.processor.api.ProcessorContext<String, Detection> c) {
                super.init(c);
                trustedSeen = c.getStateStore(SEEN);
                StoreSweeper<Sighting> sweeper = new StoreSweeper<>(trustedSeen,
                        (k, v, now) -> v.expired(now, ttl) ? null : v, NoveltyProcessor.SWEEP_SLICE);
                c.schedule(Duration.ofMinutes(1), PunctuationType.STREAM_TIME, t -> {
                    if (newestMs != Long.MIN_VALUE) {
                        sweeper.sweep(newestMs);
                    }
                });
            }

            @Override
            public void process(Record<String, KeyEvent> record) {
                CloudTrailEvent e = record.value().event();
                newestMs = Math.max(newestMs, record.timestamp());
                if (counts(e) && trustedCaller(e) && !ctx.config().isTrustedAccount(e.keyAccountId())) {
                    return; // not our key: external-key-encryption covers a trusted caller under a foreign key
                }
                if (counts(e) && trustedCaller(e)) {
                    String pair = e.keyArn() + "|" + e.callerAccountId();
                    Sighting seen = trustedSeen.get(pair);
                    if (seen != null && !seen.expired(newestMs, ttl)) {
                        Sighting now = seen.seenAt(record.timestamp(), step);
                        if (now != seen) {
                            trustedSeen.put(pair, now);
                        }
                    } else {
                        trustedSeen.put(pair, Sighting.at(record.timestamp()));
                        KeyFacts key = record.value().key();
                        if (key == null || key.firstSeen() == null || key.firstSeen()
                                .plus(ctx.settings().learningPeriod()).isAfter(e.eventTime())) {
                            return; // still learning the key's partners
                        }
                        Detection d = finding(e, Severity.LOW, 0, 1)
                                .fingerprintOf(e.keyArn(), e.callerAccountId(), "trusted")
                                .title("First use of " + e.keyArn() + " by trusted account " + e.callerAccountId())
                                .attr("trustedPair", true).build();
                        context.forward(new Record<>(d.fingerprint(), d, record.timestamp()));
                    }
                    return;
                }
                super.process(record);
            }

            private boolean trustedCaller(CloudTrailEvent e) {
                return ctx.config().isTrustedAccount(e.callerAccountId()) || ctx.config().isTrustedPrincipal(e.principal());
            }

            @Override
            protected String entity(KeyEvent ke) {
                CloudTrailEvent e = ke.event();
                return counts(e) ? e.keyArn() + "|" + e.callerAccountId() : null;
            }

            @Override
            protected long threshold(String entity, long windowStart, KeyEvent e) {
                return ctx.settings().threshold();
            }

            @Override
            protected Detection detection(KeyEvent ke, String entity, long windowStart, WindowBucket b, int tier,
                                          long threshold) {
                CloudTrailEvent e = ke.event();
                return finding(e, ctx.settings().severity(), tier, b.count())
                        .fingerprintOf(e.keyArn(), e.callerAccountId(), windowStart)
                        .span(Instant.ofEpochMilli(b.firstMs()), Instant.ofEpochMilli(b.lastMs())).evidence(b.evidence())
                        .title("Key " + e.keyArn() + " used by untrusted account " + e.callerAccountId())
                        .attr("windowStart", Instant.ofEpochMilli(windowStart)).build();
            }

            private Findings finding(CloudTrailEvent e, Severity s, int tier, long count) {
                String key = e.keyArn();
                String region = KeyArns.regionOf(key);
                return Findings.about(ID, s, e).tier(tier).count(count)
                        .summary(e.principal() + " (account " + e.callerAccountId() + ") called " + e.eventName()
                                + " on key " + key + " of account " + e.keyAccountId() + "; " + count
                                + " such calls in this window.")
                        .attr("callerAccount", e.callerAccountId()).attr("eventName", e.eventName())
                        .attr("sharedEventId", e.sharedEventId()).attr("invokedBy", e.userIdentity().invokedBy())
                        .runbook(Runbooks.forKey(key, region, List.of(
                                "Who owns account " + e.callerAccountId() + "? Is it meant to use this key?",
                                "Which statement or grant lets it in? Check the key policy and the grants.",
                                "If not approved: remove the statement or revoke the grant."),
                                Runbooks.getKeyPolicy(key, region), Runbooks.listGrants(key, region)));
            }
        }, Named.as(ID), STORE, SEEN);
    }
}
