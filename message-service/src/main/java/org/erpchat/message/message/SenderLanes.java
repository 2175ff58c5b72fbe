package org.erpchat.message.message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.erpchat.support.logging.FaultLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed set of threads ("lanes"), each handling the items given to it in order, in batches of what queued while it
 * was busy. A key always maps to the same lane, so one sender's sends are handled in the order they were submitted,
 * while other senders' sends are handled on the other lanes at the same time. Send commands and REST sends each have
 * their own lanes.
 *
 * <p>Why: a send commits once, and a durable commit waits for PostgreSQL to flush its WAL to disk. One thread storing
 * sends one at a time waits for one flush per send; many lanes committing at once share their flushes (PostgreSQL
 * writes every commit waiting at that moment in one flush), so sending is not bound by the disk's flush latency
 * (docs/benchmarks.md section 7). Under load a lane finds several sends queued when it is done with the last ones and
 * stores them in one transaction ({@link SendBatches}): the busier the lane, the larger its batches and the cheaper
 * each send.
 *
 * <p>Submitting to a full lane waits: a Kafka consumer thread then leaves records in Kafka rather than in memory.
 *
 * <p>A lane never ends before {@link #close}: a worker that throws anything, an {@link Error} too, is logged through a
 * {@link FaultLog} (one line, then a count at most once a minute) and the lane takes its next batch. A lane that ended
 * would strand every key mapped to it, and once its queue filled, whoever submits to it.
 */
public final class SenderLanes<T> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SenderLanes.class);

    private static final long IDLE_CHECK_MILLIS = 200;
    private static final Duration LOG_INTERVAL = Duration.ofMinutes(1);

    private final List<BlockingQueue<T>> queues = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final int maxBatch;
    private final Consumer<List<T>> worker;
    private final FaultLog workerFaults;
    private volatile boolean closed;

    /**
     * @param maxBatch the most items handed to {@code worker} at once: whatever queued on a lane while its previous
     *     batch ran, up to this many, in the order submitted
     * @param worker runs on the lanes; handles a batch of one lane's items in order, and its own failures (one it lets
     *     through is only logged: the lane goes on with its next batch)
     */
    public SenderLanes(String name, int lanes, int capacityPerLane, int maxBatch, Consumer<List<T>> worker) {
        this.maxBatch = maxBatch;
        this.worker = worker;
        // Never told of a success: a worker that throws has a bug, it is not an outage that ends. So the first
        // failure is logged and later ones are counted, at most one line a minute, whatever the other batches do.
        this.workerFaults = new FaultLog(log, "handling batches on the " + name + " threads", LOG_INTERVAL);
        for (int i = 0; i < lanes; i++) {
            BlockingQueue<T> queue = new ArrayBlockingQueue<>(capacityPerLane);
            Thread thread = new Thread(() -> drain(queue), name + "-" + (i + 1));
            thread.setDaemon(true);
            queues.add(queue);
            threads.add(thread);
            thread.start();
        }
    }

    /** Queues {@code item} on {@code key}'s lane after the items given to it before; waits while the lane is full. */
    public void submit(long key, T item) throws InterruptedException {
        if (closed) {
            throw new IllegalStateException("lanes closed");
        }
        BlockingQueue<T> queue = queues.get(laneOf(key));
        queue.put(item);
        if (closed && queue.remove(item)) {
            // Closed while this was being queued, after the queues were emptied: no lane will ever take it.
            throw new IllegalStateException("lanes closed");
        }
    }

    int laneOf(long key) {
        // Spread consecutive ids (users are often numbered in order) over the lanes.
        return Math.floorMod(Long.hashCode(key * 0x9E3779B97F4A7C15L), queues.size());
    }

    private void drain(BlockingQueue<T> queue) {
        List<T> batch = new ArrayList<>(maxBatch);
        while (!closed) {
            T first;
            try {
                // Polled, not taken: closing never interrupts a lane, which could be in the middle of a JDBC call.
                first = queue.poll(IDLE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (first == null) {
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, maxBatch - 1);
            try {
                worker.accept(List.copyOf(batch));
            } catch (Throwable e) {
                // The worker handles its own failures; one that does not must not end the lane. Any Throwable: an Error
                // a bug raises (a StackOverflowError, an AssertionError, a class that failed to load) leaves the JVM
                // fine, and a checked exception can be thrown sneakily. VirtualMachineErrors too, deliberately: a real
                // OutOfMemoryError never gets here, the deployments run with -XX:+ExitOnOutOfMemoryError
                // (infra/k8s/*.yaml, Dockerfile), so one that does was thrown by code (a library's own, for direct or
                // native memory) or on a JVM without that flag, and the next batch may well work. Rethrowing would
                // end only this thread, not the JVM: the lane's senders would stall for good, unnoticed.
                workerFaults.failed(e);
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * Stops the lanes after the batch each is running (or has just taken); what is still queued is dropped. For send
     * commands that is safe: they were never acknowledged, so Kafka delivers them again.
     */
    @Override
    public void close() {
        closeAndDrain();
    }

    /** {@link #close}, returning what was still queued, for a caller that must answer it. */
    public List<T> closeAndDrain() {
        closed = true;
        List<T> left = new ArrayList<>();
        queues.forEach(queue -> queue.drainTo(left));
        return left;
    }
}
