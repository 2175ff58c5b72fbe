package org.erpchat.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.erpchat.gateway.protocol.TextFrame;
import org.junit.jupiter.api.Test;

/** The send queue's rules under pressure, with a socket whose writes complete when the test says so. */
class OutboundQueueTest {

    /** A socket that holds each write until {@link #complete()}. */
    static final class SlowSocket implements FrameSender {
        final List<String> written = new ArrayList<>();
        final List<Boolean> announcedMore = new ArrayList<>();
        final List<Consumer<Throwable>> pending = new ArrayList<>();

        @Override
        public void send(TextFrame frame, boolean more, Consumer<Throwable> done) {
            written.add(frame.text());
            announcedMore.add(more);
            pending.add(done);
        }

        void complete() {
            List<Consumer<Throwable>> now = new ArrayList<>(pending);
            pending.clear();
            now.forEach(done -> done.accept(null));
        }
    }

    /** A socket whose writes complete at once. */
    static final class BatchingSocket implements FrameSender {
        final List<String> written = new ArrayList<>();
        final List<Boolean> announcedMore = new ArrayList<>();

        @Override
        public void send(TextFrame frame, boolean more, Consumer<Throwable> done) {
            written.add(frame.text());
            announcedMore.add(more);
            done.accept(null);
        }
    }

    private final SlowSocket socket = new SlowSocket();
    private final List<String> dropped = new ArrayList<>();
    private final OutboundQueue queue = new OutboundQueue(
            socket,
            10,
            10_000,
            0.5,
            new OutboundListener() {
                @Override
                public void written(OutboundFrame frame) {}

                @Override
                public void dropped(OutboundFrame frame) {
                    dropped.add(frame.text());
                }
            },
            failure -> {});

    @Test
    void framesAreWrittenOneAtATimeInOrder() {
        queue.offer(OutboundFrame.control("a"));
        queue.offer(OutboundFrame.control("b"));
        queue.offer(OutboundFrame.control("c"));
        assertThat(socket.written).containsExactly("a");

        socket.complete();
        socket.complete();

        assertThat(socket.written).containsExactly("a", "b", "c");
    }

    @Test
    void aFrameWithOthersQueuedBehindItAnnouncesThemAndTheLastOfABurstDoesNot() {
        queue.offer(OutboundFrame.control("a"));
        queue.offer(OutboundFrame.control("b"));
        queue.offer(OutboundFrame.control("c"));

        socket.complete();
        socket.complete();

        // A connection may hold frames announced with more for one gathered write; the last one makes it write them.
        assertThat(socket.written).containsExactly("a", "b", "c");
        assertThat(socket.announcedMore).containsExactly(false, true, false);
    }

    @Test
    void insideAWriteBatchASessionsFramesWaitForTheEndAndLeaveTogether() {
        BatchingSocket batching = new BatchingSocket();
        OutboundQueue batched = new OutboundQueue(batching, 512, 10_000, 0.5, OutboundListener.NONE, failure -> {});
        List<Integer> writtenDuringTheBatch = new ArrayList<>();

        WriteBatch.run(
                List.of(
                        () -> batched.offer(OutboundFrame.control("m1")),
                        () -> batched.offer(OutboundFrame.control("m2")),
                        () -> batched.offer(OutboundFrame.control("m3")),
                        () -> writtenDuringTheBatch.add(batching.written.size())),
                failure -> {});

        assertThat(writtenDuringTheBatch).containsExactly(0);
        // All but the last announced: the connection writes them in one go, and holds nothing afterwards.
        assertThat(batching.written).containsExactly("m1", "m2", "m3");
        assertThat(batching.announcedMore).containsExactly(true, true, false);

        // Outside a batch, a lone frame is written at once.
        batched.offer(OutboundFrame.control("m4"));
        assertThat(batching.written).endsWith("m4");
        assertThat(batching.announcedMore).endsWith(false);
    }

    @Test
    void onAFanOutThreadABatchHoldsItsFramesBackTheSameWay() throws InterruptedException {
        BatchingSocket batching = new BatchingSocket();
        OutboundQueue batched = new OutboundQueue(batching, 512, 10_000, 0.5, OutboundListener.NONE, failure -> {});
        List<Integer> writtenDuringTheBatch = new ArrayList<>();
        List<Integer> writtenAfterTheBatch = new ArrayList<>();

        Thread lane = new WriteBatch.Runner(
                () -> {
                    WriteBatch.run(
                            List.of(
                                    () -> batched.offer(OutboundFrame.control("m1")),
                                    () -> batched.offer(OutboundFrame.control("m2")),
                                    () -> writtenDuringTheBatch.add(batching.written.size())),
                            failure -> {});
                    // Between batches the thread has none: a frame leaves at once.
                    batched.offer(OutboundFrame.control("m3"));
                    writtenAfterTheBatch.add(batching.written.size());
                },
                "fan-out-under-test");
        lane.start();
        lane.join(Duration.ofSeconds(10).toMillis());

        assertThat(writtenDuringTheBatch).containsExactly(0);
        assertThat(writtenAfterTheBatch).containsExactly(3);
        assertThat(batching.written).containsExactly("m1", "m2", "m3");
        assertThat(batching.announcedMore).containsExactly(true, false, false);
    }

    @Test
    void aFanOutThreadsBatchesOneAfterAnotherEachWriteTheirOwnFramesAtTheirEnd() throws InterruptedException {
        BatchingSocket first = new BatchingSocket();
        BatchingSocket second = new BatchingSocket();
        OutboundQueue a = new OutboundQueue(first, 512, 10_000, 0.5, OutboundListener.NONE, failure -> {});
        OutboundQueue b = new OutboundQueue(second, 512, 10_000, 0.5, OutboundListener.NONE, failure -> {});
        List<Integer> writtenDuringEachBatch = new ArrayList<>();
        List<Integer> writtenAfterEachBatch = new ArrayList<>();

        // A lane runs batch after batch with the same batch object: each must start empty and write what it was given.
        Thread lane = new WriteBatch.Runner(
                () -> {
                    for (int batch = 1; batch <= 3; batch++) {
                        String name = "b" + batch;
                        WriteBatch.run(
                                List.of(
                                        () -> a.offer(OutboundFrame.control(name + "-1")),
                                        () -> b.offer(OutboundFrame.control(name)),
                                        () -> a.offer(OutboundFrame.control(name + "-2")),
                                        () -> writtenDuringEachBatch.add(first.written.size() + second.written.size())),
                                failure -> {});
                        writtenAfterEachBatch.add(first.written.size() + second.written.size());
                    }
                },
                "fan-out-under-test");
        lane.start();
        lane.join(Duration.ofSeconds(10).toMillis());

        assertThat(writtenDuringEachBatch).containsExactly(0, 3, 6);
        assertThat(writtenAfterEachBatch).containsExactly(3, 6, 9);
        assertThat(first.written).containsExactly("b1-1", "b1-2", "b2-1", "b2-2", "b3-1", "b3-2");
        assertThat(first.announcedMore).containsExactly(true, false, true, false, true, false);
        assertThat(second.written).containsExactly("b1", "b2", "b3");
        assertThat(second.announcedMore).containsExactly(false, false, false);
    }

    @Test
    void aQueueThatFillsUpDuringAWriteBatchWritesWithoutWaitingForTheEnd() {
        BatchingSocket batching = new BatchingSocket();
        // Eight frames at most: frames wait for the batch's end only while fewer than two are queued.
        OutboundQueue small = new OutboundQueue(batching, 8, 10_000, 0.5, OutboundListener.NONE, failure -> {});
        List<Boolean> accepted = new ArrayList<>();
        List<Runnable> tasks = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            String text = "m" + i;
            tasks.add(() -> accepted.add(small.offer(OutboundFrame.control(text))));
        }

        WriteBatch.run(tasks, failure -> {});

        // Twenty frames through a queue of eight in one batch: none refused, none lost, in order.
        assertThat(accepted).hasSize(20).containsOnly(true);
        assertThat(batching.written).hasSize(20).startsWith("m1", "m2").endsWith("m20");
        assertThat(batching.announcedMore).endsWith(false);
    }

    @Test
    void inAWholeBatchEveryFrameWaitsForTheEndAndAllLeaveInOneWrite() {
        BatchingSocket batching = new BatchingSocket();
        OutboundQueue replaying = new OutboundQueue(batching, 512, 1_000_000, 0.5, OutboundListener.NONE, f -> {});
        List<Integer> writtenDuringTheBatch = new ArrayList<>();

        WriteBatch.runWhole(() -> {
            for (int i = 1; i <= 200; i++) {
                replaying.offer(OutboundFrame.control("m" + i));
            }
            writtenDuringTheBatch.add(batching.written.size());
        });

        // A plain batch writes once sixteen are queued; a replay's chunk leaves whole, announced as one burst.
        assertThat(writtenDuringTheBatch).containsExactly(0);
        assertThat(batching.written).hasSize(200).startsWith("m1").endsWith("m200");
        assertThat(batching.announcedMore.subList(0, 199)).containsOnly(true);
        assertThat(batching.announcedMore.get(199)).isFalse();
    }

    @Test
    void aWaitForRoomEndsWhenTheQueueDrainsToWhatWasAskedFor() throws InterruptedException {
        for (int i = 1; i <= 8; i++) {
            queue.offer(OutboundFrame.control("m" + i));
        }
        // One in flight, seven queued; each completion writes the next.
        // Each completion writes the next frame at once (from this thread), so there is always one to complete.
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 5; i++) {
                socket.complete();
            }
        });
        writer.start();

        assertThat(queue.awaitAtMost(2, Long.MAX_VALUE, Duration.ofSeconds(30))).isTrue();
        assertThat(queue.size()).isLessThanOrEqualTo(2);
        writer.join();
    }

    @Test
    void aWaitForRoomAlsoWaitsForTheBytesToDrainToWhatWasAskedFor() throws InterruptedException {
        for (int i = 1; i <= 4; i++) {
            queue.offer(OutboundFrame.control(i + "x".repeat(2_999))); // 3,000 bytes
        }
        // One in flight, three queued: few enough frames (3 of 5), but 9,000 bytes where at most 3,000 may be.
        assertThat(queue.awaitAtMost(5, 3_000, Duration.ZERO)).isFalse();

        Thread writer = new Thread(() -> {
            socket.complete();
            socket.complete();
        });
        writer.start();

        long start = System.nanoTime();
        assertThat(queue.awaitAtMost(5, 3_000, Duration.ofSeconds(30))).isTrue();
        // Woken by the write that brought the bytes down, not by the end of the wait.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(queue.size()).isEqualTo(1);
        writer.join();
    }

    @Test
    void aTaskThatFailsInAWriteBatchDoesNotKeepTheOthersFromRunningOrTheBatchFromWriting() {
        List<RuntimeException> failures = new ArrayList<>();
        BatchingSocket batching = new BatchingSocket();
        OutboundQueue batched = new OutboundQueue(batching, 10, 10_000, 0.5, OutboundListener.NONE, failure -> {});

        WriteBatch.run(
                List.of(
                        () -> batched.offer(OutboundFrame.control("before")),
                        () -> {
                            throw new IllegalStateException("a bug in one delivery");
                        },
                        () -> batched.offer(OutboundFrame.control("after"))),
                failures::add);

        assertThat(batching.written).containsExactly("before", "after");
        assertThat(batching.announcedMore).containsExactly(true, false);
        assertThat(failures).extracting(Throwable::getMessage).containsExactly("a bug in one delivery");
    }

    @Test
    void queueLimitsCountEncodedBytes() {
        OutboundQueue small = new OutboundQueue(socket, 10, 12, 0.5, OutboundListener.NONE, failure -> {});
        small.offer(OutboundFrame.control("in flight"));
        // Six characters, twelve bytes in UTF-8: exactly the limit.
        assertThat(small.offer(OutboundFrame.control("ééé ééé".replace(" ", ""))))
                .isTrue();
        assertThat(small.offer(OutboundFrame.control("x"))).isFalse();
    }

    @Test
    void synchronousCompletionsDrainTheQueueWithoutRecursion() {
        List<String> written = new ArrayList<>();
        OutboundQueue fast = new OutboundQueue(
                (frame, more, done) -> {
                    written.add(frame.text());
                    done.accept(null);
                },
                100_000,
                100_000_000,
                0.5,
                OutboundListener.NONE,
                failure -> {});
        for (int i = 0; i < 50_000; i++) {
            fast.offer(OutboundFrame.control("m" + i));
        }

        assertThat(written).hasSize(50_000).endsWith("m49999");
    }

    @Test
    void typingAndPresenceAreDroppedFirstWhenTheQueueFillsUp() {
        queue.offer(OutboundFrame.control("in flight"));
        for (int i = 0; i < 5; i++) {
            queue.offer(OutboundFrame.control("message " + i));
        }

        assertThat(queue.offer(OutboundFrame.disposable("typing"))).isTrue();

        assertThat(dropped).containsExactly("typing");
        assertThat(queue.size()).isEqualTo(5);
    }

    @Test
    void aMessageThatDoesNotFitEvictsQueuedDisposableFramesBeforeGivingUp() {
        queue.offer(OutboundFrame.control("in flight"));
        queue.offer(OutboundFrame.disposable("typing 1"));
        queue.offer(OutboundFrame.disposable("typing 2"));
        for (int i = 0; i < 8; i++) {
            assertThat(queue.offer(OutboundFrame.control("message " + i))).isTrue();
        }

        assertThat(dropped).isEmpty();
        assertThat(queue.offer(OutboundFrame.control("message 8"))).isTrue();
        assertThat(dropped).containsExactly("typing 1", "typing 2");
        assertThat(queue.offer(OutboundFrame.control("message 9"))).isTrue();
        assertThat(queue.offer(OutboundFrame.control("one too many"))).isFalse();
        assertThat(queue.size()).isEqualTo(10);
    }

    @Test
    void closingAfterWhatIsQueuedWritesItAllAndThenRunsTheCloseOnce() {
        List<String> closes = new ArrayList<>();
        queue.offer(OutboundFrame.control("in flight"));
        queue.offer(OutboundFrame.control("last"));

        queue.closeAfterQueued(() -> closes.add("closed after " + socket.written));
        assertThat(queue.offer(OutboundFrame.control("too late"))).isTrue();
        assertThat(closes).isEmpty();

        socket.complete();
        assertThat(closes).isEmpty();
        socket.complete();

        assertThat(socket.written).containsExactly("in flight", "last");
        assertThat(closes).containsExactly("closed after [in flight, last]");
        queue.closeAfterQueued(() -> closes.add("again"));
        queue.close();
        assertThat(closes).hasSize(1);
    }

    @Test
    void anIdleQueueRunsTheCloseAtOnce() {
        List<String> closes = new ArrayList<>();

        queue.closeAfterQueued(() -> closes.add("closed"));

        assertThat(closes).containsExactly("closed");
        assertThat(queue.offer(OutboundFrame.control("too late"))).isTrue();
        assertThat(socket.written).isEmpty();
    }

    @Test
    void aQueueClosedOutrightWhileItDrainsNeverRunsTheClose() {
        List<String> closes = new ArrayList<>();
        queue.offer(OutboundFrame.control("in flight"));
        queue.offer(OutboundFrame.control("last"));
        queue.closeAfterQueued(() -> closes.add("closed"));

        queue.close();
        socket.complete();

        assertThat(socket.written).containsExactly("in flight");
        assertThat(closes).isEmpty();
    }

    @Test
    void framesAWriteBatchHeldBackAreWrittenBeforeTheClose() {
        BatchingSocket batching = new BatchingSocket();
        OutboundQueue batched = new OutboundQueue(batching, 512, 10_000, 0.5, OutboundListener.NONE, failure -> {});
        List<Integer> writtenAtTheClose = new ArrayList<>();

        WriteBatch.run(
                List.of(
                        () -> batched.offer(OutboundFrame.control("error")),
                        () -> batched.closeAfterQueued(() -> writtenAtTheClose.add(batching.written.size()))),
                failure -> {});

        assertThat(writtenAtTheClose).containsExactly(1);
        assertThat(batching.written).containsExactly("error");
    }

    @Test
    void aReplayWaitingForRoomStopsWaitingWhenTheQueueTakesNoMoreFrames() throws InterruptedException {
        queue.offer(OutboundFrame.control("in flight"));
        queue.offer(OutboundFrame.control("queued"));

        queue.closeAfterQueued(() -> {});

        assertThat(queue.awaitAtMost(0, 0, Duration.ofSeconds(30))).isFalse();
    }

    @Test
    void aFailedWriteClosesTheQueueAndReportsIt() {
        List<Throwable> failures = new ArrayList<>();
        OutboundQueue failing = new OutboundQueue(
                (frame, more, done) -> done.accept(new IllegalStateException("broken pipe")),
                10,
                10_000,
                0.5,
                OutboundListener.NONE,
                failures::add);

        failing.offer(OutboundFrame.control("a"));
        failing.offer(OutboundFrame.control("b"));

        assertThat(failures).hasSize(1);
        assertThat(failing.size()).isZero();
    }
}
