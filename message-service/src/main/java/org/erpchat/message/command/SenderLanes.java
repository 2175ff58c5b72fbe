package org.erpchat.message.command;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed set of threads ("lanes"), each running the tasks given to it one after another. A key always maps to the
 * same lane, so one sender's commands run in the order they were submitted, while other senders' commands run on the
 * other lanes at the same time.
 *
 * <p>Why: a send commits once, and a durable commit waits for PostgreSQL to flush its WAL to disk. One consumer thread
 * storing its partitions' commands one at a time waits for one flush per command; many lanes committing at once share
 * their flushes (PostgreSQL writes every commit waiting at that moment in one flush), so the command path is no longer
 * bound by the disk's flush latency (docs/benchmarks.md section 7).
 *
 * <p>Submitting to a full lane waits, which holds up the Kafka consumer thread: records stay in Kafka rather than in
 * memory.
 */
final class SenderLanes implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SenderLanes.class);

    private static final long IDLE_CHECK_MILLIS = 200;

    private final List<BlockingQueue<Runnable>> queues = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;

    SenderLanes(String name, int lanes, int capacityPerLane) {
        for (int i = 0; i < lanes; i++) {
            BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(capacityPerLane);
            Thread thread = new Thread(() -> drain(queue), name + "-" + (i + 1));
            thread.setDaemon(true);
            queues.add(queue);
            threads.add(thread);
            thread.start();
        }
    }

    /** Runs {@code task} on {@code key}'s lane after the tasks given to it before; waits while the lane is full. */
    void submit(long key, Runnable task) throws InterruptedException {
        if (closed) {
            throw new IllegalStateException("lanes closed");
        }
        queues.get(laneOf(key)).put(task);
    }

    int laneOf(long key) {
        // Spread consecutive ids (users are often numbered in order) over the lanes.
        return Math.floorMod(Long.hashCode(key * 0x9E3779B97F4A7C15L), queues.size());
    }

    private void drain(BlockingQueue<Runnable> queue) {
        while (!closed) {
            Runnable task;
            try {
                // Polled, not taken: closing never interrupts a lane, which could be in the middle of a JDBC call.
                task = queue.poll(IDLE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (task == null || closed) {
                continue;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                // The tasks handle their own failures; one that does not must not end the lane.
                log.error("A command lane task failed", e);
            }
        }
    }

    /**
     * Stops the lanes after the task each is running; what is still queued is dropped (never acknowledged, so Kafka
     * delivers it again).
     */
    @Override
    public void close() {
        closed = true;
        queues.forEach(BlockingQueue::clear);
    }
}
