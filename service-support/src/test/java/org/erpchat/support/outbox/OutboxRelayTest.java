package org.erpchat.support.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop's rules, over an outbox held in memory: order, batching, retries, backoff and the drain on shutdown. */
class OutboxRelayTest {

    private static final Duration LONG = Duration.ofMinutes(5);

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final MemoryOutbox outbox = new MemoryOutbox(3);
    private OutboxRelay relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.stop();
        }
    }

    @Test
    void aWakeUpPublishesEverythingInOrderInFullBatches() {
        relay = relay(true, LONG);
        relay.start();
        outbox.record(1, 2, 3, 4, 5, 6, 7);
        relay.wakeUp();

        await().until(() -> outbox.published().size() == 7);
        assertThat(outbox.published()).containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(meters.counter("test.outbox.published").count()).isEqualTo(7);
    }

    @Test
    void entriesNobodyAnnouncedAreFoundByThePoll() {
        relay = relay(true, Duration.ofMillis(20));
        relay.start();
        outbox.record(1, 2);

        await().until(() -> outbox.published().size() == 2);
    }

    @Test
    void aFailedBatchIsRetriedFromTheOldestEntryAfterRecovering() {
        relay = relay(true, LONG);
        outbox.failNext(2);
        outbox.record(1, 2, 3, 4);
        relay.start();

        await().until(() -> outbox.published().size() == 4);
        assertThat(outbox.published()).containsExactly(1, 2, 3, 4);
        assertThat(outbox.recoveries.get()).isEqualTo(2);
        assertThat(meters.counter("test.outbox.publish.failures").count()).isEqualTo(2);
    }

    @Test
    void theBackoffDoublesUpToItsCap() {
        relay = relay(true, LONG);

        assertThat(List.of(relay.backoff(1), relay.backoff(2), relay.backoff(3), relay.backoff(4), relay.backoff(50)))
                .containsExactly(
                        Duration.ofMillis(10),
                        Duration.ofMillis(20),
                        Duration.ofMillis(40),
                        Duration.ofMillis(50),
                        Duration.ofMillis(50));
    }

    @Test
    void shutdownPublishesWhatWasRecordedLastThenFinishesOnce() {
        relay = relay(true, LONG);
        relay.start();
        await().until(() -> outbox.passes.get() > 0);
        outbox.record(1, 2, 3, 4, 5);

        relay.stop();

        assertThat(outbox.published()).containsExactly(1, 2, 3, 4, 5);
        assertThat(outbox.stops.get()).isEqualTo(1);
        assertThat(relay.isRunning()).isFalse();
    }

    @Test
    void aDisabledRelayPublishesNothing() {
        relay = relay(false, Duration.ofMillis(10));
        outbox.record(1);

        relay.start();

        assertThat(relay.isRunning()).isFalse();
        assertThat(outbox.passes.get()).isZero();
    }

    private OutboxRelay relay(boolean enabled, Duration pollInterval) {
        OutboxRelay.Settings settings = new OutboxRelay.Settings(
                "test-outbox-relay",
                "test.outbox.published",
                "test.outbox.publish.failures",
                enabled,
                outbox.batchSize,
                pollInterval,
                Duration.ofMillis(10),
                Duration.ofMillis(50),
                Duration.ofSeconds(10),
                0);
        return new OutboxRelay(outbox, settings, meters);
    }

    /** An outbox in memory that can be told to fail its next passes. */
    private static final class MemoryOutbox implements OutboxBatches {

        final int batchSize;
        final AtomicInteger passes = new AtomicInteger();
        final AtomicInteger recoveries = new AtomicInteger();
        final AtomicInteger stops = new AtomicInteger();
        private final List<Integer> pending = new ArrayList<>();
        private final List<Integer> published = new ArrayList<>();
        private int failuresLeft;

        MemoryOutbox(int batchSize) {
            this.batchSize = batchSize;
        }

        synchronized void record(Integer... entries) {
            pending.addAll(List.of(entries));
        }

        synchronized void failNext(int passes) {
            failuresLeft = passes;
        }

        synchronized List<Integer> published() {
            return List.copyOf(published);
        }

        @Override
        public synchronized int publishOldest() {
            passes.incrementAndGet();
            if (failuresLeft > 0) {
                failuresLeft--;
                throw new IllegalStateException("Kafka is away");
            }
            List<Integer> batch = pending.subList(0, Math.min(batchSize, pending.size()));
            int count = batch.size();
            published.addAll(batch);
            batch.clear();
            return count;
        }

        @Override
        public void afterFailure() {
            recoveries.incrementAndGet();
        }

        @Override
        public void afterStop() {
            stops.incrementAndGet();
        }
    }
}
