package io.kmswatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The production scheduler: one named daemon thread, tasks in order, nothing after shutdown. */
class DeliverySchedulerTest {
    @Test
    void shouldRunTasksOneAtATimeInTheOrderGivenOnOneNamedDaemonThread() throws Exception {
        DeliveryScheduler s = DeliveryScheduler.singleThread("kmswatch-alerts-sink-test");
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        try {
            for (int i = 0; i < 50; i++) {
                int n = i;
                s.execute(() -> ran.add(n + "@" + Thread.currentThread().getName() + ":"
                        + Thread.currentThread().isDaemon()));
            }
            s.execute(done::countDown);
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            s.shutdown();
        }
        assertThat(ran).hasSize(50);
        for (int i = 0; i < 50; i++) {
            assertThat(ran.get(i)).isEqualTo(i + "@kmswatch-alerts-sink-test:true");
        }
    }

    @Test
    void shouldDropWaitingTasksInterruptTheRunningOneAndTakeNoMoreAfterShutdown() throws Exception {
        DeliveryScheduler s = DeliveryScheduler.singleThread("kmswatch-alerts-sink-test");
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        s.execute(() -> {
            running.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        s.schedule(() -> ran.add("later"), Duration.ofDays(1));
        s.execute(() -> ran.add("queued"));
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

        s.shutdown();
        assertThatCode(() -> s.execute(() -> ran.add("after"))).doesNotThrowAnyException();

        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(s.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(ran).isEmpty();
    }
}
