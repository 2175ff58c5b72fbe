package org.erpchat.message.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SenderLanesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void oneKeysTasksRunInTheOrderGivenWhileABlockedKeyHoldsUpNoOtherLane() throws Exception {
        try (SenderLanes lanes = new SenderLanes("test-lane", 4, 100)) {
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
    void aTaskThatThrowsDoesNotEndItsLane() throws Exception {
        try (SenderLanes lanes = new SenderLanes("test-lane", 1, 10)) {
            List<String> done = new CopyOnWriteArrayList<>();
            lanes.submit(7, () -> {
                throw new IllegalStateException("a bug in a task");
            });
            lanes.submit(7, () -> done.add("after"));
            await().atMost(WAIT).until(() -> done.contains("after"));
        }
    }

    @Test
    void consecutiveIdsSpreadOverEveryLane() {
        try (SenderLanes lanes = new SenderLanes("test-lane", 8, 10)) {
            assertThat(IntStream.range(0, 64)
                            .map(id -> lanes.laneOf(1_000 + id))
                            .distinct())
                    .hasSize(8);
        }
    }

    private static long keyOnAnotherLane(SenderLanes lanes, long key) {
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
