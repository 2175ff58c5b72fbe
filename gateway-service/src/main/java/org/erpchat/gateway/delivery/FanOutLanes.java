package org.erpchat.gateway.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.erpchat.gateway.config.GatewayProperties;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The threads that write events to sessions. Each session belongs to one lane for its whole life, so what the Kafka
 * listener hands over for a session is applied in the order it was read: per conversation, messages stay in sequence.
 * A message to 1,000 members becomes one task per lane, each writing to its share of the members, on as many cores
 * as there are lanes; the listener itself only routes.
 *
 * <p>Each lane's backlog is bounded: when a lane is that far behind, the listener waits, and the records wait in
 * Kafka rather than in memory.
 */
@Component
class FanOutLanes implements DisposableBean {

    private final ThreadPoolExecutor[] lanes;

    @Autowired
    FanOutLanes(GatewayProperties properties) {
        this(
                properties.outbound().resolvedFanOutThreads(),
                properties.outbound().fanOutBacklog());
    }

    FanOutLanes(int threads, int backlog) {
        lanes = new ThreadPoolExecutor[threads];
        for (int i = 0; i < lanes.length; i++) {
            String name = "gateway-fan-out-" + i;
            lanes[i] = new ThreadPoolExecutor(
                    1,
                    1,
                    0,
                    TimeUnit.MILLISECONDS,
                    new LinkedBlockingQueue<>(backlog),
                    runnable -> {
                        Thread thread = new Thread(runnable, name);
                        thread.setDaemon(true);
                        return thread;
                    },
                    FanOutLanes::waitForRoom);
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

    /** Applies {@code action} to each target on its own lane, in the order of the list per lane. */
    <T> void forEach(List<T> targets, Consumer<? super T> action) {
        if (lanes.length == 1) {
            lanes[0].execute(() -> targets.forEach(action));
            return;
        }
        List<List<T>> shares = new ArrayList<>(lanes.length);
        for (int i = 0; i < lanes.length; i++) {
            shares.add(new ArrayList<>(targets.size() / lanes.length + 1));
        }
        for (T target : targets) {
            shares.get(laneOf(target)).add(target);
        }
        for (int i = 0; i < lanes.length; i++) {
            List<T> share = shares.get(i);
            if (!share.isEmpty()) {
                lanes[i].execute(() -> share.forEach(action));
            }
        }
    }

    /** A full lane makes the caller (the Kafka listener) wait for room instead of dropping or reordering work. */
    private static void waitForRoom(Runnable task, ThreadPoolExecutor lane) {
        if (lane.isShutdown()) {
            throw new RejectedExecutionException("the gateway is stopping");
        }
        BlockingQueue<Runnable> queue = lane.getQueue();
        try {
            while (!queue.offer(task, 100, TimeUnit.MILLISECONDS)) {
                if (lane.isShutdown()) {
                    throw new RejectedExecutionException("the gateway is stopping");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RejectedExecutionException("interrupted while waiting for a fan-out lane", e);
        }
    }

    /** Finishes what the lanes hold (the sessions are being closed anyway; this only keeps the order of shutdown). */
    @Override
    public void destroy() throws InterruptedException {
        for (ThreadPoolExecutor lane : lanes) {
            lane.shutdown();
        }
        for (ThreadPoolExecutor lane : lanes) {
            lane.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
