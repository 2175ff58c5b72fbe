package org.erpchat.gateway.session;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * One session's bounded send queue. Frames are written one at a time with the container's asynchronous send, so no
 * thread ever blocks on a slow client. Limits are on both frames and bytes:
 *
 * <ul>
 *   <li>above {@code dropDisposableAbove} of either limit, disposable frames (typing, presence) are dropped on arrival;
 *   <li>a frame that does not fit first evicts queued disposable frames; if it still does not fit the queue refuses it
 *       and the session must be closed as too slow: its client resumes and loses nothing.
 * </ul>
 */
public final class OutboundQueue {

    private final FrameSender sender;
    private final int maxFrames;
    private final long maxBytes;
    private final int disposableFramesAbove;
    private final long disposableBytesAbove;
    private final OutboundListener listener;
    private final Consumer<Throwable> onWriteFailure;
    /** Inside a {@link WriteBatch}, frames wait for its end while fewer than this many are queued. */
    private final int deferLimit;

    /** Listed in a {@link WriteBatch} that has not ended yet: its frames are written when that batch ends. */
    private boolean awaitingBatch;
    /** The frame being written, while {@code inFlight}: one at a time, so one completion serves every write. */
    private OutboundFrame writing;

    private final Consumer<Throwable> writeCompletion = this::writeCompleted;

    private ArrayDeque<OutboundFrame> queue;
    private long queuedBytes;
    private boolean inFlight;
    private long inFlightSinceNanos;
    private boolean closed;
    /** Set by {@link #closeAfterQueued}: nothing more is accepted, and what is queued is still written. */
    private boolean draining;
    /** What runs once the drain is over; null before, and after it ran or {@link #close()} cancelled it. */
    private Runnable afterDrain;

    private volatile Thread pumpingThread;
    /**
     * What {@link #awaitAtMost} waits for the queue to drain to, frames ({@code -1}: nothing awaited) and bytes: woken
     * once, not by every frame written.
     */
    private int awaitedFrames = -1;

    private long awaitedBytes;

    public OutboundQueue(
            FrameSender sender,
            int maxFrames,
            long maxBytes,
            double dropDisposableAbove,
            OutboundListener listener,
            Consumer<Throwable> onWriteFailure) {
        this.sender = sender;
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.disposableFramesAbove = (int) (maxFrames * dropDisposableAbove);
        this.disposableBytesAbove = (long) (maxBytes * dropDisposableAbove);
        this.listener = listener;
        this.onWriteFailure = onWriteFailure;
        this.deferLimit = Math.max(1, Math.min(16, maxFrames / 4));
    }

    /**
     * Queues a frame. Returns false when the session cannot keep up: the frame did not fit even after evicting
     * disposable frames. A disposable frame that is dropped still counts as accepted.
     */
    public boolean offer(OutboundFrame frame) {
        synchronized (this) {
            if (closed || draining) {
                return true; // nothing to report: the session is closing already
            }
            if (queue == null) {
                queue = new ArrayDeque<>(8);
            }
            if (frame.disposable() && (queue.size() >= disposableFramesAbove || queuedBytes >= disposableBytesAbove)) {
                listener.dropped(frame);
                return true;
            }
            if (!fits(frame)) {
                evictDisposable();
                if (!fits(frame)) {
                    return false;
                }
            }
            queue.addLast(frame);
            queuedBytes += frame.size();
            WriteBatch batch = WriteBatch.current();
            if (batch != null && (batch.whole() || queue.size() < deferLimit)) {
                if (!awaitingBatch) {
                    awaitingBatch = true;
                    batch.mustWrite(this);
                }
                return true;
            }
        }
        pump();
        return true;
    }

    /** Frames waiting, not counting one being written. */
    public synchronized int size() {
        return queue == null ? 0 : queue.size();
    }

    /**
     * Waits until at most {@code frames} are queued, of at most {@code bytes} together, so a replay that has hundreds
     * of messages to send feeds them at the client's pace instead of overflowing the queue: both limits, since a few
     * hundred long messages fill the bytes long before the frames. Returns false on timeout or when the queue closed or
     * takes no more frames.
     */
    public synchronized boolean awaitAtMost(int frames, long bytes, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!closed && !draining && (size() > frames || queuedBytes > bytes)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                awaitedFrames = frames;
                awaitedBytes = bytes;
                wait(Math.max(1, left / 1_000_000));
            }
            return !closed && !draining;
        } finally {
            awaitedFrames = -1;
        }
    }

    /** Nanotime since when the current write is in progress, or 0 when nothing is being written. */
    public synchronized long inFlightSinceNanos() {
        return inFlight ? inFlightSinceNanos : 0;
    }

    public synchronized boolean isIdle() {
        return !inFlight && (queue == null || queue.isEmpty());
    }

    /**
     * Accepts nothing more from now on, goes on writing what is queued, and then runs {@code then} once: when the last
     * frame has been written, or at once when nothing is queued or being written. For a final frame (an error, a
     * {@code resume_result}) that must reach the client before the connection closes: clearing the queue would drop it
     * while an earlier write is still in flight. A {@link #close()} before the end (a failed write, the stuck-write
     * watchdog) cancels {@code then}; a client that stopped reading holds it until that watchdog gives up on it.
     */
    public void closeAfterQueued(Runnable then) {
        synchronized (this) {
            if (closed || draining) {
                return;
            }
            draining = true;
            afterDrain = then;
            notifyAll(); // a replay waiting for room stops: nothing more will be taken
        }
        // Also writes what a write batch held back, and finishes an idle queue here and now.
        pump();
    }

    /** Discards what is queued and accepts nothing more; cancels a pending {@link #closeAfterQueued}. */
    public void close() {
        synchronized (this) {
            closed = true;
            afterDrain = null;
            if (queue != null) {
                queue.clear();
            }
            queuedBytes = 0;
            notifyAll();
        }
    }

    public int maxFrames() {
        return maxFrames;
    }

    private boolean fits(OutboundFrame frame) {
        return queue.size() < maxFrames && (queuedBytes + frame.size() <= maxBytes || queue.isEmpty());
    }

    private void evictDisposable() {
        for (Iterator<OutboundFrame> it = queue.iterator(); it.hasNext(); ) {
            OutboundFrame queued = it.next();
            if (queued.disposable()) {
                it.remove();
                queuedBytes -= queued.size();
                listener.dropped(queued);
            }
        }
    }

    /**
     * Starts the next write unless one is in flight. A write that completes synchronously (common: the socket buffer
     * had room, or the frame joined the connection's batch) continues this loop instead of recursing from the
     * completion callback. Frames queued behind the one being sent are announced ({@code more}) and the last one is
     * not, so a burst leaves in one write and nothing stays in the connection's buffer.
     */
    private void pump() {
        while (true) {
            OutboundFrame next;
            boolean more;
            Runnable drained = null;
            synchronized (this) {
                if (inFlight || closed) {
                    return;
                }
                if (queue == null || queue.isEmpty()) {
                    next = null;
                    more = false;
                    if (draining) {
                        drained = finishDrain();
                    }
                } else {
                    next = queue.pollFirst();
                    queuedBytes -= next.size();
                    more = !queue.isEmpty();
                    inFlight = true;
                    writing = next;
                    inFlightSinceNanos = System.nanoTime();
                    if (awaitedFrames >= 0 && queue.size() <= awaitedFrames && queuedBytes <= awaitedBytes) {
                        notifyAll();
                    }
                }
            }
            if (next == null) {
                if (drained != null) {
                    drained.run(); // outside the lock: it closes the connection
                }
                return;
            }
            pumpingThread = Thread.currentThread();
            try {
                sender.send(next.frame(), more, writeCompletion);
            } catch (RuntimeException e) {
                writeCompleted(e);
            } finally {
                pumpingThread = null;
            }
            synchronized (this) {
                if (inFlight) {
                    return; // completes asynchronously; the callback pumps on
                }
            }
        }
    }

    /** A drain is over (nothing queued, nothing being written): closes the queue; returns what is to run once. */
    private Runnable finishDrain() {
        Runnable then = afterDrain;
        afterDrain = null;
        closed = true;
        return then;
    }

    /** The end of a {@link WriteBatch} that queued frames here: write them. */
    void writeDeferred() {
        synchronized (this) {
            awaitingBatch = false;
        }
        pump();
    }

    private void writeCompleted(Throwable failure) {
        OutboundFrame frame;
        synchronized (this) {
            frame = writing;
            writing = null;
            inFlight = false;
        }
        if (failure != null) {
            close();
            onWriteFailure.accept(failure);
            return;
        }
        if (frame != null) {
            listener.written(frame);
        }
        if (pumpingThread != Thread.currentThread()) {
            pump();
        }
    }
}
