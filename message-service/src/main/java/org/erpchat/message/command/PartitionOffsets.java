package org.erpchat.message.command;

import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.kafka.support.Acknowledgment;

/**
 * The offsets of one assigned partition of {@code chat.message-commands} that are not committed yet. Commands finish
 * out of order (a parked sender's commands finish after later commands of other senders), but the committed offset
 * must never pass a command that is neither stored nor answered: a crash then redelivers it. So a finished command is
 * acknowledged only once every command below it has finished; acknowledging it (AckMode MANUAL) commits everything up
 * to it.
 *
 * <p>Memory stays proportional to the unfinished commands: between two unfinished offsets only the highest finished
 * one is kept, since acknowledging it covers the others. One instance per assignment: after the partition is revoked
 * it ignores everything, so a command finishing late cannot commit for a later owner.
 *
 * <p>When paced, what may be acknowledged waits for the next {@link #flush}, so a partition commits at most once per
 * {@code commands.commit-interval} instead of once per poll: at chat rates a poll holds one command, and each commit
 * is a request the broker writes to its offsets log (docs/benchmarks.md section 6, "offset commits").
 */
final class PartitionOffsets {

    /** Received, not finished. */
    private final NavigableSet<Long> open = new TreeSet<>();

    /** Finished but not yet acknowledged because an open offset lies below; at most one per gap. */
    private final NavigableMap<Long, Acknowledgment> finished = new TreeMap<>();

    private boolean revoked;

    private final boolean paced;

    /** Paced only: the acknowledgment the next {@link #flush} gives, the highest that may be given now; or null. */
    private Acknowledgment due;

    /** Acknowledges as soon as a command allows it. */
    PartitionOffsets() {
        this(false);
    }

    /** {@code paced}: leaves the acknowledgments to {@link #flush}. */
    PartitionOffsets(boolean paced) {
        this.paced = paced;
    }

    synchronized void received(long offset) {
        if (!revoked) {
            open.add(offset);
        }
    }

    /** The command at {@code offset} is stored or answered: acknowledges what can be acknowledged now. */
    void finished(long offset, Acknowledgment ack) {
        Acknowledgment toAck;
        synchronized (this) {
            if (revoked || !open.remove(offset)) {
                return;
            }
            // Between the open offsets around it, only the highest finished offset matters.
            Long openBelow = open.lower(offset);
            Long openAbove = open.higher(offset);
            finished.subMap(openBelow == null ? Long.MIN_VALUE : openBelow, false, offset, false)
                    .clear();
            Long finishedAbove = finished.higherKey(offset);
            if (finishedAbove == null || (openAbove != null && finishedAbove > openAbove)) {
                finished.put(offset, ack);
            }
            toAck = committable();
            if (paced && toAck != null) {
                due = toAck;
                toAck = null;
            }
        }
        if (toAck != null) {
            toAck.acknowledge();
        }
    }

    /** Paced: gives the acknowledgment that became possible since the last flush, if any. */
    void flush() {
        Acknowledgment toAck;
        synchronized (this) {
            toAck = due;
            due = null;
        }
        if (toAck != null) {
            toAck.acknowledge();
        }
    }

    /** The partition went to another consumer: forget everything, acknowledge nothing more. */
    synchronized void revoke() {
        revoked = true;
        open.clear();
        finished.clear();
        due = null;
    }

    synchronized boolean isRevoked() {
        return revoked;
    }

    /** The highest finished offset with no open offset below it, removed from the bookkeeping; or null. */
    private Acknowledgment committable() {
        Map.Entry<Long, Acknowledgment> entry =
                open.isEmpty() ? finished.lastEntry() : finished.lowerEntry(open.first());
        if (entry == null) {
            return null;
        }
        finished.headMap(entry.getKey(), true).clear();
        return entry.getValue();
    }
}
