package org.erpchat.gateway.session;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Writes made by one thread while it runs a batch of deliveries are held back and leave together: a session that gets
 * five messages in one batch gets them in one system call, not five. A fan-out thread that fell behind thus catches
 * up faster the further behind it is, while one that keeps up (a batch of one) writes as before.
 *
 * <p>Every queue that sent a frame with {@code more} during the batch is flushed when the batch ends, so nothing stays
 * in a connection's buffer.
 */
public final class WriteBatch {

    private static final ThreadLocal<WriteBatch> CURRENT = new ThreadLocal<>();

    private final Set<OutboundQueue> toFlush = Collections.newSetFromMap(new IdentityHashMap<>());

    private WriteBatch() {}

    /** Runs the tasks as one batch on this thread; a task that throws does not keep the others from running. */
    public static void run(List<Runnable> tasks, Consumer<? super RuntimeException> onFailure) {
        WriteBatch batch = new WriteBatch();
        CURRENT.set(batch);
        try {
            for (Runnable task : tasks) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    onFailure.accept(e);
                }
            }
        } finally {
            CURRENT.remove();
            batch.flush();
        }
    }

    /** The batch this thread is running, or null. */
    static WriteBatch current() {
        return CURRENT.get();
    }

    void mustFlush(OutboundQueue queue) {
        toFlush.add(queue);
    }

    private void flush() {
        List<OutboundQueue> queues = new ArrayList<>(toFlush);
        toFlush.clear();
        queues.forEach(OutboundQueue::flushBatched);
    }
}
