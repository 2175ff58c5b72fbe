package org.erpchat.message.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

class SenderLanesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void oneKeysTasksRunInTheOrderGivenWhileABlockedKeyHoldsUpNoOtherLane() throws Exception {
        try (SenderLanes<Runnable> lanes = runningEach(4, 100)) {
            long blockedKey = 1;
            long otherKey = keyOnAnotherLane(lanes, blockedKey);
            CountDownLatch release = new CountDownLatch(1);
            List<String> done = new CopyOnWriteArrayList<>();
            lanes.submit(blockedKey, () -> {
                awaitQuietly(release);
                done.add("blocked 1");
            });
            lanes.submit(blockedKey, () -> done.add("blocked 2"));
            for (int i = 1; i <= 50; i++) {
                int n = i;
                lanes.submit(otherKey, () -> done.add("other " + n));
            }

            // The other key's tasks all run, in order, while the first key's lane waits.
            await().atMost(WAIT).until(() -> done.size() == 50);
            assertThat(done)
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, 50)
                            .mapToObj(i -> "other " + i)
                            .toList());

            release.countDown();
            await().atMost(WAIT).until(() -> done.size() == 52);
            assertThat(done.subList(50, 52)).containsExactly("blocked 1", "blocked 2");
        }
    }

    @Test
    void aBatchThatThrowsDoesNotEndItsLane() throws Exception {
        List<Integer> done = new CopyOnWriteArrayList<>();
        try (SenderLanes<Integer> lanes = new SenderLanes<>("test-lane", 1, 10, 10, batch -> {
            done.addAll(batch);
            if (batch.contains(0)) {
                throw new IllegalStateException("a bug in the worker");
            }
        })) {
            lanes.submit(7, 0);
            await().atMost(WAIT).until(() -> done.contains(0));
            lanes.submit(7, 1);
            await().atMost(WAIT).until(() -> done.contains(1));
        }
    }

    /**
     * Errors a bug can raise on a lane without the JVM being in trouble, and an OutOfMemoryError thrown by code (a real
     * one ends the JVM first: the deployments run with -XX:+ExitOnOutOfMemoryError).
     */
    static Stream<Error> errors() {
        return Stream.of(
                new StackOverflowError(),
                new AssertionError("a broken invariant"),
                new NoClassDefFoundError("org/erpchat/Missing"),
                new ExceptionInInitializerError(new IllegalStateException("a static initializer failed")),
                new IncompatibleClassChangeError("a library of another version"),
                new OutOfMemoryError("Direct buffer memory"));
    }

    @ParameterizedTest
    @MethodSource("errors")
    void aBatchThatThrowsAnErrorDoesNotEndItsLane(Error error) throws Exception {
        List<Integer> done = new CopyOnWriteArrayList<>();
        try (SenderLanes<Integer> lanes = new SenderLanes<>("test-lane", 1, 10, 10, batch -> {
            done.addAll(batch);
            if (batch.contains(0)) {
                throw error;
            }
        })) {
            lanes.submit(7, 0);
            await().atMost(WAIT).until(() -> done.contains(0));
            // The same key, so the same lane: its later items are still handled, in order.
            for (int i = 1; i <= 3; i++) {
                lanes.submit(7, i);
            }
            await().atMost(WAIT).until(() -> done.size() == 4);
            assertThat(done).containsExactly(0, 1, 2, 3);
        }
    }

    @Test
    void batchesThatKeepFailingAreLoggedOnceWithACountNotOnceEach() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(SenderLanes.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        List<Integer> done = new CopyOnWriteArrayList<>();
        try (SenderLanes<Integer> lanes = new SenderLanes<>("test-lane", 1, 10, 1, batch -> {
            done.addAll(batch);
            throw new AssertionError("a bug in the worker");
        })) {
            for (int i = 0; i < 5; i++) {
                lanes.submit(7, i);
            }
            await().atMost(WAIT).until(() -> done.size() == 5);
        } finally {
            logger.detachAppender(lines);
        }
        List<ILoggingEvent> logged;
        synchronized (lines) {
            logged = new ArrayList<>(lines.list);
        }
        assertThat(logged)
                .filteredOn(line -> line.getLevel().isGreaterOrEqual(Level.WARN))
                .singleElement()
                .satisfies(line -> assertThat(line.getFormattedMessage())
                        .contains("test-lane", "AssertionError: a bug in the worker", "counted"));
    }

    @Test
    void consecutiveIdsSpreadOverEveryLane() {
        try (SenderLanes<Runnable> lanes = runningEach(8, 10)) {
            assertThat(IntStream.range(0, 64)
                            .map(id -> lanes.laneOf(1_000 + id))
                            .distinct())
                    .hasSize(8);
        }
    }

    @Test
    void whatQueuedWhileALaneWasBusyIsHandedOverAsOneBatchInOrder() throws Exception {
        List<List<Integer>> batches = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        try (SenderLanes<Integer> lanes = new SenderLanes<>("test-lane", 1, 100, 5, batch -> {
            batches.add(batch);
            if (batch.contains(0)) {
                awaitQuietly(release);
            }
        })) {
            lanes.submit(1, 0);
            await().atMost(WAIT).until(() -> batches.size() == 1);
            for (int i = 1; i <= 12; i++) {
                lanes.submit(1 + i * 1_000L, i); // any key: there is one lane
            }
            release.countDown();

            await().atMost(WAIT)
                    .until(() -> batches.stream().mapToInt(List::size).sum() == 13);
            // The twelve waited behind the first, so they come in batches of at most five, in order.
            assertThat(batches)
                    .containsExactly(List.of(0), List.of(1, 2, 3, 4, 5), List.of(6, 7, 8, 9, 10), List.of(11, 12));
        }
    }

    /** Lanes that run each task given to them, one after another. */
    private static SenderLanes<Runnable> runningEach(int lanes, int capacity) {
        return new SenderLanes<>("test-lane", lanes, capacity, 10, batch -> batch.forEach(Runnable::run));
    }

    private static long keyOnAnotherLane(SenderLanes<?> lanes, long key) {
        long other = key + 1;
        while (lanes.laneOf(other) == lanes.laneOf(key)) {
            other++;
        }
        return other;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
