package org.erpchat.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fan-out threads: every target gets every event once, in the order the events were handed over. */
class FanOutLanesTest {

    private final FanOutLanes lanes = new FanOutLanes(3, 4);

    @AfterEach
    void stop() throws InterruptedException {
        lanes.destroy();
    }

    @Test
    void eachTargetGetsEveryEventOnceAndInOrderWhateverLaneItIsOn() {
        List<Object> targets =
                IntStream.range(0, 100).mapToObj(i -> new Object()).toList();
        Map<Object, List<Integer>> received = new ConcurrentHashMap<>();
        for (int event = 0; event < 200; event++) {
            int seq = event;
            lanes.forEach(
                    targets,
                    target -> received.computeIfAbsent(target, key -> new CopyOnWriteArrayList<>())
                            .add(seq));
        }

        List<Integer> all = IntStream.range(0, 200).boxed().toList();
        await().atMost(10, TimeUnit.SECONDS)
                .untilAsserted(() -> assertThat(received)
                        .hasSize(100)
                        .allSatisfy((target, events) -> assertThat(events).isEqualTo(all)));
        assertThat(targets.stream().map(lanes::laneOf).distinct()).hasSize(3);
    }

    @Test
    void aTargetWhoseDeliveryFailsDoesNotKeepTheOthersOnItsLaneFromTheirs() {
        List<Integer> targets = IntStream.range(0, 30).boxed().toList();
        List<Integer> delivered = new CopyOnWriteArrayList<>();
        lanes.forEach(targets, target -> {
            if (target == 4) {
                throw new IllegalStateException("a bug in one session's delivery");
            }
            delivered.add(target);
        });
        lanes.forEach(targets, target -> delivered.add(100 + target));

        await().atMost(10, TimeUnit.SECONDS).until(() -> delivered.size() == 59);
        assertThat(delivered).doesNotContain(4).contains(3, 5, 104);
    }

    @Test
    void aLaneThatIsFarBehindMakesTheCallerWaitInsteadOfDroppingWork() throws InterruptedException {
        Object target = new Object();
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> done = new CopyOnWriteArrayList<>();
        CountDownLatch running = new CountDownLatch(1);
        lanes.forEach(List.of(target), ignored -> {
            running.countDown();
            awaitQuietly(release);
        });
        // The lane takes what is queued when it starts a batch: only once it runs this task does the backlog fill.
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicBoolean callerReturned = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            // One task running and a backlog of four: the fifth hand-over waits for room.
            for (int i = 0; i < 6; i++) {
                int seq = i;
                lanes.forEach(List.of(target), ignored -> done.add(seq));
            }
            callerReturned.set(true);
        });
        caller.start();

        await().atMost(10, TimeUnit.SECONDS).until(() -> caller.getState() == Thread.State.TIMED_WAITING);
        assertThat(callerReturned).isFalse();
        release.countDown();
        caller.join(10_000);

        assertThat(callerReturned).isTrue();
        await().atMost(10, TimeUnit.SECONDS).until(() -> done.size() == 6);
        assertThat(done).isEqualTo(new ArrayList<>(List.of(0, 1, 2, 3, 4, 5)));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
