package org.erpchat.gateway.session;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes asked for by one thread while it runs a batch of deliveries wait until the batch ends; then each session that
 * got frames writes them in one go, all but the last announced as {@code more}, so they leave in one system call. A
 * fan-out thread that fell behind thus catches up faster the further behind it is, while a session that got one frame
 * writes it as it would outside a batch: straight from the shared bytes, without taking one of the connection's
 * output buffers (a batch that reaches 19,000 sessions would otherwise hold 19,000 of them at once). A queue that
 * fills up during the batch writes without waiting ({@link OutboundQueue}).
 */
public final class WriteBatch {

    /** The batch of a thread that is not a {@link Runner}. */
    private static final ThreadLocal<WriteBatch> CURRENT = new ThreadLocal<>();

    /**
     * The queues to write at the end, each once: a queue asks to be added only when it is not waiting for a batch
     * already ({@link OutboundQueue#offer}), so a list does what a set did, without a set's growth per batch.
     */
    private final List<OutboundQueue> toWrite = new ArrayList<>();
    /** Every frame waits for the end, however many a queue gets (up to its limit), not only the first few. */
    private final boolean whole;

    private WriteBatch(boolean whole) {
        this.whole = whole;
    }

    /** Runs the tasks as one batch on this thread; a task that throws does not keep the others from running. */
    public static void run(List<Runnable> tasks, Consumer<? super RuntimeException> onFailure) {
        WriteBatch batch = Thread.currentThread() instanceof Runner runner && runner.reusable.idle()
                ? runner.reusable
                : new WriteBatch(false);
        begin(batch);
        try {
            for (Runnable task : tasks) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    onFailure.accept(e);
                }
            }
        } finally {
            end();
            batch.writeAll();
        }
    }

    /**
     * Runs the task as one batch in which every frame it queues waits for the end: a replay hands a session hundreds of
     * messages at once, and they leave in one system call instead of one each (a write that completes at once, as
     * most do on a fast socket, would otherwise leave the next frame to a write of its own).
     */
    public static void runWhole(Runnable task) {
        WriteBatch batch = new WriteBatch(true);
        begin(batch);
        try {
            task.run();
        } finally {
            end();
            batch.writeAll();
        }
    }

    /** The batch this thread is running, or null. */
    static WriteBatch current() {
        return Thread.currentThread() instanceof Runner runner ? runner.batch : CURRENT.get();
    }

    private static void begin(WriteBatch batch) {
        if (Thread.currentThread() instanceof Runner runner) {
            runner.batch = batch;
        } else {
            CURRENT.set(batch);
        }
    }

    private static void end() {
        if (Thread.currentThread() instanceof Runner runner) {
            runner.batch = null;
        } else {
            CURRENT.remove();
        }
    }

    /**
     * A thread that runs batches all day (a fan-out lane): its batch is a field, not a thread-local. Every frame queued
     * asks for the current batch, and on a busy thread's thread-local map that look-up was 1.4 % of the gateway's CPU
     * in a 1,000-member fan-out (docs/benchmarks.md section 6 step 15).
     */
    public static final class Runner extends Thread {

        private WriteBatch batch;
        /** The batch this thread runs again and again: its list keeps its capacity, and nothing is allocated per batch. */
        private final WriteBatch reusable = new WriteBatch(false);

        public Runner(Runnable task, String name) {
            super(task, name);
        }
    }

    boolean whole() {
        return whole;
    }

    /** Neither running nor writing (a batch started from inside another one's writes gets a fresh one). */
    private boolean idle() {
        return current() != this && toWrite.isEmpty();
    }

    void mustWrite(OutboundQueue queue) {
        toWrite.add(queue);
    }

    /**
     * Writes each queue's frames. The batch has ended, so nothing joins the list meanwhile; each queue clears its mark
     * before it writes, so none is left waiting for a batch that is over.
     */
    private void writeAll() {
        try {
            for (int i = 0; i < toWrite.size(); i++) {
                toWrite.get(i).writeDeferred();
            }
        } finally {
            toWrite.clear();
        }
    }
}
