package org.erpchat.gateway.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.session.WriteBatch;
import org.erpchat.support.logging.FaultLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The threads that write events to sessions. Each session belongs to one lane for its whole life, so what the Kafka
 * listener hands over for a session is applied in the order it was read: per conversation, messages stay in sequence.
 * A message to 1,000 members becomes one task per lane, each writing to its share of the members, on as many cores
 * as there are lanes; the listener itself only routes.
 *
 * <p>A lane runs whatever has piled up as one {@link WriteBatch}: a lane that fell behind writes each session's
 * pending messages in one system call, so it catches up faster the further behind it is. Each lane's backlog is
 * bounded: when a lane is that far behind, the listener waits, and the records wait in Kafka rather than in memory.
 */
@Component
class FanOutLanes implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(FanOutLanes.class);
    /** Tasks (messages) written as one batch at most: bounds the time a batch holds its first frames back. */
    private static final int MAX_BATCH = 64;

    private final Lane[] lanes;
    private final FaultLog faults =
            new FaultLog(log, "delivering to sessions on a fan-out thread", Duration.ofMinutes(1));

    @Autowired
    FanOutLanes(GatewayProperties properties) {
        this(
                properties.outbound().resolvedFanOutThreads(),
                properties.outbound().fanOutBacklog());
    }

    FanOutLanes(int threads, int backlog) {
        lanes = new Lane[threads];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new Lane("gateway-fan-out-" + i, backlog);
        }
    }

    int size() {
        return lanes.length;
    }

    /**
     * The lane a session (or any target) belongs to, by its hash code: a session's is its identity, fixed for its
     * life.
     */
    int laneOf(Object target) {
        return Math.floorMod(target.hashCode(), lanes.length);
    }

    /**
     * Applies {@code action} to each target on its own lane, in the order of the list per lane. An action that throws
     * (a bug) costs that target this event only: the others still get it, and the fault is logged once with a count.
     */
    <T> void forEach(List<T> targets, Consumer<? super T> action) {
        if (lanes.length == 1) {
            lanes[0].submit(() -> applyToEach(targets, action));
            return;
        }
        List<List<T>> shares = new ArrayList<>(lanes.length);
        // Hashing spreads the targets unevenly: room for a quarter more than an even share, so a share rarely grows.
        int room = targets.size() / lanes.length + targets.size() / (4 * lanes.length) + 8;
        for (int i = 0; i < lanes.length; i++) {
            shares.add(new ArrayList<>(room));
        }
        for (T target : targets) {
            shares.get(laneOf(target)).add(target);
        }
        for (int i = 0; i < lanes.length; i++) {
            List<T> share = shares.get(i);
            if (!share.isEmpty()) {
                lanes[i].submit(() -> applyToEach(share, action));
            }
        }
    }

    private <T> void applyToEach(List<T> targets, Consumer<? super T> action) {
        for (T target : targets) {
            try {
                action.accept(target);
            } catch (RuntimeException e) {
                faults.failed(e);
            }
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        for (Lane lane : lanes) {
            lane.stop();
        }
        for (Lane lane : lanes) {
            lane.thread.join(TimeUnit.SECONDS.toMillis(5));
        }
    }

    /** One thread and its bounded backlog. */
    private final class Lane implements Runnable {

        private final BlockingQueue<Runnable> backlog;
        private final Thread thread;
        private volatile boolean stopping;

        Lane(String name, int capacity) {
            this.backlog = new LinkedBlockingQueue<>(capacity);
            this.thread = new WriteBatch.Runner(this, name);
            thread.setDaemon(true);
            thread.start();
        }

        /** Queues a task; a full backlog makes the caller (the Kafka listener) wait for room. */
        void submit(Runnable task) {
            try {
                while (!backlog.offer(task, 100, TimeUnit.MILLISECONDS)) {
                    if (stopping) {
                        throw new RejectedExecutionException("the gateway is stopping");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RejectedExecutionException("interrupted while waiting for a fan-out lane", e);
            }
        }

        @Override
        public void run() {
            List<Runnable> batch = new ArrayList<>(MAX_BATCH);
            while (!stopping || !backlog.isEmpty()) {
                try {
                    Runnable first = backlog.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    backlog.drainTo(batch, MAX_BATCH - 1);
                    WriteBatch.run(batch, faults::failed);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } finally {
                    batch.clear();
                }
            }
        }

        void stop() {
            stopping = true;
        }
    }
}
