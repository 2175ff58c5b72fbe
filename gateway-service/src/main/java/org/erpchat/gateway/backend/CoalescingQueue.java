package org.erpchat.gateway.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests handed to another service in batches: while one batch is out, the requests that arrive wait, then go out
 * together as the next. A lone request goes at once; a thousand that arrive together (a company in the morning, every
 * client of a restarted gateway) cost a few calls, not a thousand. One task at a time runs the batches on the executor,
 * so the batches never hold more than one of its threads.
 */
public final class CoalescingQueue<T> {

    private static final Logger log = LoggerFactory.getLogger(CoalescingQueue.class);

    private final String name;
    private final Consumer<List<T>> handler;
    private final Consumer<List<T>> whenRejected;
    private final Executor executor;
    private final ConcurrentLinkedQueue<T> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    /**
     * @param handler handles one batch; what it throws is logged, and the batches after it still run
     * @param whenRejected gets the requests that the executor would not take (it is shutting down)
     */
    public CoalescingQueue(String name, Executor executor, Consumer<List<T>> handler, Consumer<List<T>> whenRejected) {
        this.name = name;
        this.executor = executor;
        this.handler = handler;
        this.whenRejected = whenRejected;
    }

    public void add(T request) {
        waiting.add(request);
        if (draining.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                draining.set(false);
                whenRejected.accept(takeAll());
            }
        }
    }

    private void drain() {
        while (true) {
            List<T> batch = takeAll();
            if (!batch.isEmpty()) {
                try {
                    handler.accept(batch);
                } catch (RuntimeException e) {
                    // Never leave the drain flag set by a failure: every later request would wait for nothing.
                    log.warn("{} for {} requests failed", name, batch.size(), e);
                }
                continue;
            }
            draining.set(false);
            // A request added after the last poll but before the flag dropped found it set: take it now.
            if (waiting.isEmpty() || !draining.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private List<T> takeAll() {
        List<T> batch = new ArrayList<>();
        for (T next; (next = waiting.poll()) != null; ) {
            batch.add(next);
        }
        return batch;
    }
}
