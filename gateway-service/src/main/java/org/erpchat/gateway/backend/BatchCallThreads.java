package org.erpchat.gateway.backend;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * The threads that run the batched calls to message-service and presence-service: the {@link CoalescingQueue}s of
 * resumes' first pages, contacts and statuses. Not the shared task pool: that one runs a call per {@code mark_read}
 * and per typing look-up, and while message-service answers slowly those fill its threads and its queue; a resume or
 * a contacts load queued behind them would wait for every one of them, long after message-service is back. A queue
 * holds at most one thread at a time, so with a thread for each a batch waits for nothing but its own call.
 */
@Component
public class BatchCallThreads implements DisposableBean {

    /** The coalescing queues that run here: resumes' first pages, contacts, statuses. */
    static final int QUEUES = 3;

    private final ExecutorService threads = Executors.newFixedThreadPool(QUEUES, daemonThreads());

    /** Where a {@link CoalescingQueue} runs its batches. */
    public Executor executor() {
        return threads;
    }

    /** At shutdown a queue's next batch is refused, and each queue answers refused requests as such. */
    @Override
    public void destroy() {
        threads.shutdown();
    }

    private static CustomizableThreadFactory daemonThreads() {
        CustomizableThreadFactory factory = new CustomizableThreadFactory("gateway-batch-");
        factory.setDaemon(true);
        return factory;
    }
}
