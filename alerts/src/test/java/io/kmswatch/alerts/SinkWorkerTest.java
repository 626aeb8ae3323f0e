package io.kmswatch.alerts;

import static io.kmswatch.alerts.ScriptedSink.Mode.DOWN;
import static io.kmswatch.alerts.ScriptedSink.Mode.UNAVAILABLE;
import static io.kmswatch.alerts.ScriptedSink.Mode.UP;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.alerts.sink.WebhookSink;
import io.kmswatch.events.Alert;
import io.kmswatch.events.UndeliverableAlert;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The per-sink worker's rules on a clock moved by hand: order, retries, backoff and jitter,
 * {@code Retry-After}, giving up after {@code giveUpAfter}, the circuit (down, probes, up),
 * shedding and lagging. No real time passes; every instant asserted is exact.
 */
class SinkWorkerTest {
    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
    private static final DoubleSupplier NO_JITTER = () -> 0.0;

    private final ManualTime time = new ManualTime(T0);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AlertsMetrics metrics = new AlertsMetrics();
    private final Dead dead = new Dead();
    /** "sink/update" in the order the alerts settled. */
    private final List<String> settled = new ArrayList<>();
    private final LogCapture log = new LogCapture(SinkWorker.class);

    SinkWorkerTest() {
        metrics.bindTo(registry);
    }

    @AfterEach
    void closeLog() {
        log.close();
    }

    @Test
    void shouldDeliverOneAlertAtATimeInTheOrderGivenAndSettleEach() {
        ScriptedSink ok = new ScriptedSink("ok", time);
        SinkWorker w = worker(ok, DeliveryConfig.defaultConfig(), NO_JITTER);
        List<Alert> alerts = flat(Detections.updates(3, List.of("ok")));

        alerts.forEach(a -> submit(w, a));
        assertThat(ok.attempts()).as("nothing runs until the scheduler does").isEmpty();
        time.runDue();

        assertThat(ok.accepted()).extracting(ScriptedSink.Attempt::update).containsExactlyElementsOf(updates(alerts));
        assertThat(settled).containsExactlyElementsOf(updates(alerts).stream().map(u -> "ok/" + u).toList());
        assertThat(sent("ok", "success")).isEqualTo(alerts.size());
        assertThat(counter(AlertsMetrics.RETRIED, "ok")).isZero();
        assertThat(dead.letters).isEmpty();
        assertThat(sinkUp("ok")).isEqualTo(1.0);
    }

    @Test
    void shouldRetryWithExponentialBackoffCappedAtMaxBackoffAndGiveUpWithTheLastAttemptOnTheDeadline() {
        // The README's arithmetic: with the defaults and no jitter, 26 attempts, the last at 10 min.
        ScriptedSink pager = new ScriptedSink("pager", time).mode(DOWN);
        SinkWorker w = worker(pager, DeliveryConfig.defaultConfig(), NO_JITTER);
        Alert alert = Detections.fire().alert("a-1", List.of("pager"));

        submit(w, alert);
        time.runUntilIdle(Duration.ofHours(1));

        List<Duration> expected = new ArrayList<>();
        long ms = 0;
        for (long wait : new long[] {0, 500, 1_000, 2_000, 4_000, 8_000, 16_000}) {
            ms += wait;
            expected.add(Duration.ofMillis(ms));
        }
        while (ms + 30_000 <= 600_000) {
            ms += 30_000;
            expected.add(Duration.ofMillis(ms));
        }
        expected.add(Duration.ofMinutes(10));
        assertThat(pager.attemptTimes()).extracting(t -> Duration.between(T0, t)).containsExactlyElementsOf(expected);
        assertThat(expected).hasSize(26);

        UndeliverableAlert u = dead.only();
        assertThat(u.sink()).isEqualTo("pager");
        assertThat(u.attempts()).isEqualTo(26);
        assertThat(u.lastAttempt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
        assertThat(u.error()).isEqualTo(pager.refusedError());
        assertThat(counter(AlertsMetrics.RETRIED, "pager")).isEqualTo(25);
        assertThat(sent("pager", "failure")).isEqualTo(1);
        assertThat(latencyMs("pager")).isEqualTo(600_000);
        assertThat(sinkUp("pager")).isZero();
        assertThat(log.at(Level.WARN, "Sink pager is down: alert a-1 failed for PT10M (26 attempts; last: "
                + pager.refusedError() + ")")).hasSize(1);
        assertThat(settled).containsExactly("pager/" + WebhookSink.updateKey(alert));
    }

    @Test
    void shouldCutEachWaitByUpToJitterUsingTheInjectedRandom() {
        DeliveryConfig d = config(Duration.ofMinutes(10), Duration.ofMillis(500), Duration.ofSeconds(30), 0.5, 1000);
        ScriptedSink pager = new ScriptedSink("pager", time).mode(UNAVAILABLE);
        Random seeded = new Random(42);
        SinkWorker w = worker(pager, d, seeded::nextDouble);

        submit(w, Detections.fire().alert("a-1", List.of("pager")));
        time.advance(Duration.ofMinutes(3));

        Random same = new Random(42);
        List<Instant> times = pager.attemptTimes();
        assertThat(times).hasSizeGreaterThan(8);
        for (int n = 1; n < times.size(); n++) {
            Duration wait = Duration.between(times.get(n - 1), times.get(n));
            Duration full = d.backoff(n, 0.0);
            assertThat(wait).as("wait after attempt %d", n).isEqualTo(d.backoff(n, same.nextDouble()))
                    .isGreaterThanOrEqualTo(full.dividedBy(2)).isLessThanOrEqualTo(full);
        }
        assertThat(IntStream.range(1, times.size()).boxed())
                .as("jitter cut some waits").anyMatch(n -> Duration.between(times.get(n - 1), times.get(n))
                        .compareTo(d.backoff(n, 0.0)) < 0);
    }

    @Test
    void shouldWaitExactlyTheRetryAfterAskedForCappedAtMaxRetryAfter() {
        ScriptedSink limited = new ScriptedSink("limited", time).retryAfter(Duration.ofSeconds(7));
        SinkWorker w = worker(limited, DeliveryConfig.defaultConfig(), NO_JITTER);
        submit(w, Detections.fire().alert("a-1", List.of("limited")));

        time.runDue();
        limited.mode(UP);
        time.advance(Duration.ofMillis(6_999));
        assertThat(limited.attempts()).hasSize(1);
        time.advance(Duration.ofMillis(1));
        assertThat(limited.attemptTimes()).containsExactly(T0, T0.plusSeconds(7));
        assertThat(limited.accepted()).hasSize(1);

        // Ten minutes asked for, five (maxRetryAfter) waited.
        limited.retryAfter(Duration.ofMinutes(10));
        submit(w, Detections.fire().alert("a-2", List.of("limited")));
        time.runDue();
        limited.mode(UP);
        time.runUntilIdle(Duration.ofHours(1));
        assertThat(limited.attemptTimes().subList(2, 4)).containsExactly(T0.plusSeconds(7),
                T0.plusSeconds(7).plus(Duration.ofMinutes(5)));
        assertThat(counter(AlertsMetrics.RETRIED, "limited")).isEqualTo(2);
        assertThat(sent("limited", "success")).isEqualTo(2);
        assertThat(dead.letters).isEmpty();
    }

    @Test
    void shouldNeverLetRetryAfterCarryAnAlertPastGiveUpAfter() {
        ScriptedSink limited = new ScriptedSink("limited", time).retryAfter(Duration.ofMinutes(4));
        SinkWorker w = worker(limited, DeliveryConfig.defaultConfig(), NO_JITTER);

        submit(w, Detections.fire().alert("a-1", List.of("limited")));
        time.runUntilIdle(Duration.ofHours(1));

        assertThat(limited.attemptTimes()).containsExactly(T0, T0.plus(Duration.ofMinutes(4)),
                T0.plus(Duration.ofMinutes(8)), T0.plus(Duration.ofMinutes(10)));
        assertThat(dead.only().attempts()).isEqualTo(4);
        assertThat(sinkUp("limited")).isZero();
    }

    @Test
    void shouldGiveUpAfterThePerSinkGiveUpAfter() {
        DeliveryConfig d = new DeliveryConfig(null, Map.of("slack", Duration.ofSeconds(20)), null, null, null, null, null,
                null, null, null);
        ScriptedSink slack = new ScriptedSink("slack", time).mode(UNAVAILABLE);
        SinkWorker w = worker(slack, d, NO_JITTER);

        submit(w, Detections.fire().alert("a-1", List.of("slack")));
        time.runUntilIdle(Duration.ofHours(1));

        // 0, 0.5, 1.5, 3.5, 7.5, 15.5, then the last wait cut to the deadline at 20 s.
        assertThat(slack.attemptTimes()).extracting(t -> Duration.between(T0, t).toMillis())
                .containsExactly(0L, 500L, 1_500L, 3_500L, 7_500L, 15_500L, 20_000L);
        assertThat(dead.only().error()).isEqualTo(slack.unavailableError());
    }

    @Test
    void shouldDeadLetterAPermanentFailureAtOnceWithoutTakingTheSinkAsDown() {
        ScriptedSink bad = new ScriptedSink("bad", time).mode(ScriptedSink.Mode.REFUSE);
        SinkWorker w = worker(bad, DeliveryConfig.defaultConfig(), NO_JITTER);
        Alert first = Detections.fire().alert("a-1", List.of("bad"));
        Alert second = Detections.fire().fingerprint("fp-2").alert("a-2", List.of("bad"));

        submit(w, first);
        time.runDue();
        bad.mode(UP);
        submit(w, second);
        time.runDue();

        UndeliverableAlert u = dead.only();
        assertThat(u.alert()).isEqualTo(first);
        assertThat(u.attempts()).isEqualTo(1);
        assertThat(u.lastAttempt()).isEqualTo(T0);
        assertThat(u.error()).isEqualTo("bad: HTTP 400 invalid_payload (permanent)");
        assertThat(bad.accepted()).extracting(ScriptedSink.Attempt::alertId).containsExactly("a-2");
        assertThat(counter(AlertsMetrics.RETRIED, "bad")).isZero();
        assertThat(sinkUp("bad")).isEqualTo(1.0);
        assertThat(log.at(Level.WARN, "Alert a-1 (key-disabled) refused by sink bad after 1 attempt(s)")).hasSize(1);
    }

    @Test
    void shouldTakeAnUnexpectedExceptionFromASinkAsRetryable() {
        ScriptedSink odd = new ScriptedSink("odd", time).mode(ScriptedSink.Mode.BROKEN);
        SinkWorker w = worker(odd, DeliveryConfig.defaultConfig(), NO_JITTER);

        submit(w, Detections.fire().alert("a-1", List.of("odd")));
        time.advance(Duration.ofMillis(500));

        assertThat(odd.attempts()).hasSize(2);
        assertThat(counter(AlertsMetrics.RETRIED, "odd")).isEqualTo(2);
        time.runUntilIdle(Duration.ofHours(1));
        assertThat(dead.only().error()).isEqualTo("odd: java.lang.IllegalStateException: boom");
    }

    @Test
    void shouldDeadLetterAMissingSinksAlertsAtOnceAndNeverOpenItsCircuit() {
        SinkWorker w = new SinkWorker(SinkWorker.missingSink("ghost"), false, DeliveryConfig.defaultConfig(), metrics,
                dead, time.clock(), time.scheduler(), NO_JITTER);

        submit(w, Detections.fire().alert("a-1", List.of("ghost")));
        submit(w, Detections.fire().fingerprint("fp-2").alert("a-2", List.of("ghost")));
        time.runDue();

        assertThat(dead.letters).extracting(UndeliverableAlert::attempts).containsExactly(1, 1);
        assertThat(dead.letters).allSatisfy(u -> assertThat(u.error())
                .isEqualTo("sink 'ghost' is not configured in this process"));
        assertThat(registry.find(AlertsMetrics.SINK_UP).tag("sink", "ghost").gauge()).isNull();
    }

    @Test
    void shouldDeliverEveryUpdateInOrderWhenTheSinkComesBackWithinGiveUpAfter() {
        // The outage of SinkOutageIT on a hand-moved clock: refused for 8 s, 503 until 20 s, with
        // updates arriving all along; a healthy sink beside it is never held up.
        ScriptedSink pager = new ScriptedSink("pager", time).mode(DOWN);
        ScriptedSink audit = new ScriptedSink("audit", time);
        DeliveryConfig d = DeliveryConfig.defaultConfig();
        SinkWorker p = worker(pager, d, NO_JITTER);
        SinkWorker a = worker(audit, d, NO_JITTER);
        List<List<Alert>> byAlert = Detections.updates(12, List.of("pager", "audit"));
        int total = byAlert.size() * 5;

        for (int round = 0; round < 5; round++) {
            for (List<Alert> updates : byAlert) {
                submit(p, updates.get(round));
                submit(a, updates.get(round));
            }
            time.advance(Duration.ofSeconds(4));
            if (round == 1) {
                pager.mode(UNAVAILABLE);
            }
        }
        assertThat(audit.accepted()).as("audit has every update while the pager is down").hasSize(total);
        assertThat(pager.accepted()).isEmpty();
        assertThat(sinkUp("pager")).as("within giveUpAfter: not down").isEqualTo(1.0);
        Instant back = time.now();
        pager.mode(UP);
        time.advance(d.maxBackoff());

        assertThat(pager.accepted()).hasSize(total);
        assertThat(pager.accepted()).allSatisfy(x -> assertThat(x.at()).isAfterOrEqualTo(back));
        Map<String, List<String>> written = perAlert(flat(byAlert), Alert::id, WebhookSink::updateKey);
        assertThat(perAlert(pager.accepted(), ScriptedSink.Attempt::alertId, ScriptedSink.Attempt::update))
                .isEqualTo(written);
        assertThat(perAlert(audit.accepted(), ScriptedSink.Attempt::alertId, ScriptedSink.Attempt::update))
                .isEqualTo(written);
        List<String> failures = pager.attempts().stream().filter(x -> !x.accepted()).map(ScriptedSink.Attempt::error)
                .toList();
        assertThat(failures).contains(pager.refusedError(), pager.unavailableError())
                .containsOnly(pager.refusedError(), pager.unavailableError());
        assertThat(pager.attempts()).hasSize(total + failures.size());
        assertThat(counter(AlertsMetrics.RETRIED, "pager")).isEqualTo(failures.size());
        assertThat(sent("pager", "success")).isEqualTo(total);
        assertThat(sent("pager", "failure")).isZero();
        assertThat(latencyMs("pager")).as("the first update waited out the outage")
                .isGreaterThan(Duration.between(T0, back).toMillis());
        assertThat(counter(AlertsMetrics.RETRIED, "audit")).isZero();
        assertThat(dead.letters).isEmpty();
        assertThat(sinkUp("pager")).isEqualTo(1.0);
        assertThat(log.at(Level.WARN, "is down")).isEmpty();
    }

    @Test
    void shouldStartAQueuedAlertsRetryClockOnlyWhenItIsFirstTried() {
        DeliveryConfig d = config(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(1), 0.0, 1000);
        ScriptedSink pager = new ScriptedSink("pager", time).mode(UNAVAILABLE);
        SinkWorker w = worker(pager, d, NO_JITTER);
        submit(w, Detections.fire().alert("a-1", List.of("pager")));
        submit(w, Detections.fire().fingerprint("fp-2").alert("a-2", List.of("pager")));

        time.advance(Duration.ofSeconds(9));
        pager.modeFor("a-1", UP);
        // a-1 is accepted on its last chance, at 10 s; a-2, tried right after, starts its own clock then.
        time.advance(Duration.ofSeconds(1));
        time.advance(Duration.ofSeconds(9));
        assertThat(dead.letters).isEmpty();
        time.advance(Duration.ofSeconds(1));

        assertThat(pager.accepted()).extracting(ScriptedSink.Attempt::alertId).containsExactly("a-1");
        UndeliverableAlert u = dead.only();
        assertThat(u.alert().id()).isEqualTo("a-2");
        assertThat(u.lastAttempt()).isEqualTo(T0.plusSeconds(20));
        assertThat(u.attempts()).isEqualTo(11);
    }

    @Test
    void shouldDeadLetterTheWholeQueueUntriedAtOnceWhenTheSinkIsTakenAsDown() {
        Duration giveUpAfter = Duration.ofSeconds(5);
        DeliveryConfig d = config(giveUpAfter, Duration.ofMillis(50), Duration.ofMillis(500), 0.5, 1000);
        ScriptedSink refused = new ScriptedSink("refused", time).mode(DOWN);
        ScriptedSink unavailable = new ScriptedSink("unavailable", time).mode(UNAVAILABLE);
        ScriptedSink ok = new ScriptedSink("ok", time);
        Random random = new Random(7);
        List<SinkWorker> workers = List.of(worker(refused, d, random::nextDouble),
                worker(unavailable, d, random::nextDouble), worker(ok, d, random::nextDouble));
        List<Alert> input = flat(Detections.updates(6, List.of("refused", "unavailable", "ok")));
        int total = input.size();

        input.forEach(a -> workers.forEach(w -> submit(w, a)));
        time.runDue();
        assertThat(ok.accepted()).as("ok has everything before the others give up").hasSize(total);
        time.advance(giveUpAfter.minusMillis(1));
        assertThat(dead.letters).isEmpty();
        time.advance(Duration.ofMillis(1));

        Map<String, List<String>> written = perAlert(input, Alert::id, WebhookSink::updateKey);
        for (ScriptedSink sink : List.of(refused, unavailable)) {
            String error = sink == refused ? sink.refusedError() : sink.unavailableError();
            List<UndeliverableAlert> mine = dead.letters.stream().filter(u -> u.sink().equals(sink.name())).toList();
            assertThat(mine).hasSize(total);
            assertThat(perAlert(mine, u -> u.alert().id(), u -> WebhookSink.updateKey(u.alert()))).isEqualTo(written);
            UndeliverableAlert tried = mine.get(0);
            assertThat(tried.alert()).isEqualTo(input.get(0));
            assertThat(sink.attempts()).extracting(ScriptedSink.Attempt::alertId).containsOnly(input.get(0).id());
            assertThat(tried.attempts()).isEqualTo(sink.attempts().size()).isGreaterThanOrEqualTo(3);
            assertThat(tried.error()).isEqualTo(error);
            assertThat(tried.lastAttempt()).isEqualTo(T0.plus(giveUpAfter));
            assertThat(mine.subList(1, total)).allSatisfy(u -> {
                assertThat(u.attempts()).isZero();
                assertThat(u.lastAttempt()).isNull();
                assertThat(u.error()).isEqualTo(error + " (sink down since " + T0.plus(giveUpAfter) + ", not attempted)");
            });
            assertThat(sent(sink.name(), "failure")).isEqualTo(total);
            assertThat(sent(sink.name(), "success")).isZero();
            assertThat(counter(AlertsMetrics.RETRIED, sink.name())).isEqualTo(tried.attempts() - 1);
            assertThat(sinkUp(sink.name())).isZero();
            assertThat(log.at(Level.WARN, "Sink " + sink.name() + " is down")).singleElement().asString()
                    .contains("the " + (total - 1) + " alert(s) queued");
        }
        assertThat(settled).hasSize(3 * total);
        assertThat(sinkUp("ok")).isEqualTo(1.0);
        assertThat(counter(AlertsMetrics.RETRIED, "ok")).isZero();
        assertThat(log.at(Level.INFO, "is up again")).isEmpty();
    }

    @Test
    void shouldProbeADownSinkAtMostOncePerMaxBackoffAndCloseTheCircuitWhenAProbeIsAnswered() {
        DeliveryConfig d = config(Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ofMillis(300), 0.0, 1000);
        ScriptedSink pager = new ScriptedSink("pager", time).mode(DOWN);
        SinkWorker w = worker(pager, d, NO_JITTER);
        submit(w, alert(0));
        time.runUntilIdle(Duration.ofMinutes(1));
        Instant down = T0.plusSeconds(2);
        assertThat(time.now()).isEqualTo(down);
        assertThat(sinkUp("pager")).isZero();
        int before = pager.attempts().size();

        // Every 100 ms a new alert: within 300 ms of the opening (and of each probe) none is tried.
        for (int i = 1; i <= 9; i++) {
            time.advance(Duration.ofMillis(100));
            submit(w, alert(i));
            time.runDue();
        }
        assertThat(pager.attempts().subList(before, pager.attempts().size()))
                .extracting(x -> Duration.between(down, x.at()).toMillis(), ScriptedSink.Attempt::alertId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(300L, "a-3"),
                        org.assertj.core.groups.Tuple.tuple(600L, "a-6"),
                        org.assertj.core.groups.Tuple.tuple(900L, "a-9"));
        assertThat(dead.letters).hasSize(10);
        assertThat(dead.letters).filteredOn(u -> u.attempts() == 0).extracting(u -> u.alert().id())
                .containsExactly("a-1", "a-2", "a-4", "a-5", "a-7", "a-8");
        assertThat(dead.letters).filteredOn(u -> u.alert().id().equals("a-6")).singleElement().satisfies(u -> {
            assertThat(u.attempts()).isEqualTo(1);
            assertThat(u.lastAttempt()).isEqualTo(down.plusMillis(600));
            assertThat(u.error()).isEqualTo(pager.refusedError());
        });

        pager.mode(UP);
        for (int i = 10; i <= 12; i++) {
            time.advance(Duration.ofMillis(100));
            submit(w, alert(i));
            time.runDue();
        }
        assertThat(pager.accepted()).extracting(ScriptedSink.Attempt::alertId).containsExactly("a-12");
        assertThat(sinkUp("pager")).isEqualTo(1.0);
        assertThat(log.at(Level.INFO, "Sink pager is up again after PT1.2S down (probe with alert a-12); 12 alert(s) "
                + "were dead-lettered meanwhile")).hasSize(1);
        for (int i = 13; i <= 15; i++) {
            submit(w, alert(i));
        }
        time.runDue();
        assertThat(pager.accepted()).extracting(ScriptedSink.Attempt::alertId).containsExactly("a-12", "a-13", "a-14",
                "a-15");
        assertThat(sent("pager", "success")).isEqualTo(4);
        assertThat(sent("pager", "failure")).isEqualTo(12);
        assertThat(log.at(Level.WARN, "Sink pager is down")).hasSize(1);
    }

    @Test
    void shouldCloseTheCircuitWhenAProbeIsRefusedPermanentlyAndDeadLetterThatAlert() {
        DeliveryConfig d = config(Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofMillis(200), 0.0, 1000);
        ScriptedSink pager = new ScriptedSink("pager", time).mode(UNAVAILABLE);
        SinkWorker w = worker(pager, d, NO_JITTER);
        submit(w, alert(0));
        time.runUntilIdle(Duration.ofMinutes(1));
        assertThat(sinkUp("pager")).isZero();

        pager.mode(ScriptedSink.Mode.REFUSE);
        time.advance(Duration.ofMillis(200));
        submit(w, alert(1));
        time.runDue();

        assertThat(sinkUp("pager")).as("a 400 is an answer").isEqualTo(1.0);
        assertThat(dead.letters.get(1).attempts()).isEqualTo(1);
        assertThat(dead.letters.get(1).error()).isEqualTo("pager: HTTP 400 invalid_payload (permanent)");
        pager.mode(UP);
        submit(w, alert(2));
        time.runDue();
        assertThat(pager.accepted()).extracting(ScriptedSink.Attempt::alertId).containsExactly("a-2");
    }

    @Test
    void shouldShedNewAlertsAsQueueFullWhileFailingWithMaxQueuedWaitingAndKeepTheRestInOrder() {
        DeliveryConfig d = config(Duration.ofSeconds(60), Duration.ofMillis(50), Duration.ofMillis(300), 0.5, 3);
        ScriptedSink pager = new ScriptedSink("pager", time).mode(UNAVAILABLE);
        ScriptedSink ok = new ScriptedSink("ok", time);
        SinkWorker p = worker(pager, d, NO_JITTER);
        SinkWorker o = worker(ok, d, NO_JITTER);
        List<Alert> alerts = IntStream.range(0, 10).mapToObj(SinkWorkerTest::alert).toList();

        submit(p, alerts.get(0));
        submit(o, alerts.get(0));
        time.advance(Duration.ofMillis(50));
        assertThat(pager.attempts()).hasSize(2);
        alerts.subList(1, 10).forEach(a -> {
            submit(p, a);
            submit(o, a);
        });
        time.runDue();

        assertThat(dead.letters).extracting(u -> u.alert().id())
                .containsExactlyElementsOf(alerts.subList(4, 10).stream().map(Alert::id).toList());
        assertThat(dead.letters).allSatisfy(u -> {
            assertThat(u.sink()).isEqualTo("pager");
            assertThat(u.attempts()).isZero();
            assertThat(u.lastAttempt()).isNull();
            assertThat(u.error()).isEqualTo("pager: queue full, 3 alerts waiting on a failing sink "
                    + "(last error: pager: HTTP 503 service unavailable)");
        });
        assertThat(ok.accepted()).hasSize(10);
        assertThat(sinkUp("pager")).as("failing, not down").isEqualTo(1.0);
        assertThat(p.lagging()).as("a failing sink sheds; it does not hold the loop").isFalse();

        pager.mode(UP);
        time.advance(d.maxBackoff());
        assertThat(pager.accepted()).extracting(ScriptedSink.Attempt::alertId)
                .containsExactlyElementsOf(alerts.subList(0, 4).stream().map(Alert::id).toList());
        assertThat(sent("pager", "success")).isEqualTo(4);
        assertThat(sent("pager", "failure")).isEqualTo(6);
        assertThat(settled).hasSize(20);
        assertThat(log.at(Level.WARN, "Sink pager is failing with 3 alerts waiting (maxQueued); new alerts for it go "
                + "to kms-alerts-undeliverable until it takes alerts again")).hasSize(1);
        assertThat(log.at(Level.WARN, "is down")).isEmpty();

        // A second episode is logged again.
        pager.mode(UNAVAILABLE);
        alerts.subList(0, 5).forEach(a -> submit(p, Detections.fire().fingerprint("again-" + a.id())
                .alert("again-" + a.id(), List.of("pager"))));
        time.advance(Duration.ofMillis(50));
        submit(p, Detections.fire().fingerprint("again-x").alert("again-x", List.of("pager")));
        assertThat(log.at(Level.WARN, "Sink pager is failing with")).hasSize(2);
    }

    @Test
    void shouldReportLaggingInsteadOfSheddingWhenAWorkingSinkHasMaxQueuedWaiting() {
        DeliveryConfig d = config(Duration.ofSeconds(60), Duration.ofMillis(50), Duration.ofMillis(300), 0.5, 5);
        ScriptedSink slow = new ScriptedSink("slow", time).takes(Duration.ofMillis(30));
        SinkWorker w = worker(slow, d, NO_JITTER);

        for (int i = 0; i < 4; i++) {
            submit(w, alert(i));
        }
        assertThat(w.lagging()).isFalse();
        for (int i = 4; i < 8; i++) {
            submit(w, alert(i));
        }
        assertThat(w.queued()).isEqualTo(8);
        assertThat(w.lagging()).isTrue();
        time.runDue();

        assertThat(w.lagging()).isFalse();
        assertThat(slow.accepted()).extracting(ScriptedSink.Attempt::alertId)
                .containsExactlyElementsOf(IntStream.range(0, 8).mapToObj(i -> "a-" + i).toList());
        assertThat(slow.attemptTimes().get(7)).isEqualTo(T0.plusMillis(7 * 30));
        assertThat(dead.letters).isEmpty();
    }

    @Test
    void shouldSettleWithoutSendingAgainAnUpdateItHasDelivered() {
        ScriptedSink ok = new ScriptedSink("ok", time);
        SinkWorker w = worker(ok, DeliveryConfig.defaultConfig(), NO_JITTER);
        Alert a = alert(1);

        submit(w, a);
        submit(w, a);
        time.runDue();

        assertThat(ok.attempts()).hasSize(1);
        assertThat(settled).hasSize(2);
        assertThat(sent("ok", "success")).isEqualTo(1);
    }

    @Test
    void shouldAbandonTheAlertInHandAndTheQueueWhenStopped() {
        ScriptedSink pager = new ScriptedSink("pager", time).mode(UNAVAILABLE);
        SinkWorker w = worker(pager, DeliveryConfig.defaultConfig(), NO_JITTER);
        submit(w, alert(1));
        submit(w, alert(2));
        time.runDue();

        w.stop();
        pager.mode(UP);
        submit(w, alert(3));
        time.runUntilIdle(Duration.ofHours(1));

        assertThat(pager.attempts()).hasSize(1);
        assertThat(settled).isEmpty();
        assertThat(dead.letters).isEmpty();
    }

    private static Alert alert(int i) {
        return Detections.fire().fingerprint("fp-" + i).alert("a-" + i, List.of("pager", "ok"));
    }

    private static DeliveryConfig config(Duration giveUpAfter, Duration initial, Duration max, double jitter,
                                         int maxQueued) {
        return new DeliveryConfig(giveUpAfter, null, initial, max, 2.0, jitter, Duration.ofSeconds(5), null, maxQueued,
                Duration.ofSeconds(5));
    }

    private SinkWorker worker(ScriptedSink sink, DeliveryConfig d, DoubleSupplier random) {
        metrics.registerSinks(List.of(sink.name()));
        return new SinkWorker(sink, true, d, metrics, dead, time.clock(), time.scheduler(), random);
    }

    private void submit(SinkWorker w, Alert a) {
        w.submit(new SinkWorker.Task(a, time.now(), () -> settled.add(w.name() + "/" + WebhookSink.updateKey(a))));
    }

    private static List<Alert> flat(List<List<Alert>> byAlert) {
        return byAlert.stream().flatMap(List::stream).toList();
    }

    private static List<String> updates(List<Alert> alerts) {
        return alerts.stream().map(WebhookSink::updateKey).toList();
    }

    /** Groups by alert id, keeping the order within each group. */
    private static <T> Map<String, List<String>> perAlert(List<T> items, Function<T, String> id,
                                                          Function<T, String> update) {
        return items.stream().collect(Collectors.groupingBy(id, LinkedHashMap::new,
                Collectors.mapping(update, Collectors.toList())));
    }

    private double counter(String name, String sink) {
        return registry.get(name).tag("sink", sink).counter().count();
    }

    private double sent(String sink, String outcome) {
        return registry.get(AlertsMetrics.SENT).tag("sink", sink).tag("outcome", outcome).counter().count();
    }

    private double sinkUp(String sink) {
        return registry.get(AlertsMetrics.SINK_UP).tag("sink", sink).gauge().value();
    }

    private double latencyMs(String sink) {
        return registry.get(AlertsMetrics.DELIVERY_LATENCY).tag("sink", sink).timer().totalTime(TimeUnit.MILLISECONDS);
    }

    /** Dead letters as the worker hands them over, stored at once. */
    private final class Dead implements DeadLetters {
        final List<UndeliverableAlert> letters = new ArrayList<>();

        @Override
        public void publish(UndeliverableAlert u, Runnable written) {
            letters.add(u);
            written.run();
        }

        @Override
        public String topic() {
            return "kms-alerts-undeliverable";
        }

        UndeliverableAlert only() {
            assertThat(letters).hasSize(1);
            return letters.get(0);
        }
    }
}
