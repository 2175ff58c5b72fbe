package org.erpchat.message.command;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.erpchat.events.SendMessageCommand;

/**
 * Where send commands failed transiently a moment ago and have not worked since: the database as a whole, or one
 * conversation. New commands for such a place are parked at once instead of each holding its partition for another
 * timeout: while the database is down every new sender's first command would wait for a whole connection timeout (and
 * a poll's worth of them would exceed the consumer's {@code max.poll.interval.ms}); while a conversation's lock is
 * stuck, each of its senders would wait for the lock timeout. A failure is remembered for {@code window} at most, so
 * one command now and then still tries; any success there forgets it at once.
 */
final class RecentFailures {

    private static final String DATABASE = "database";

    /** Beyond this many remembered places, the expired ones are dropped. */
    private static final int MAX_REMEMBERED = 1000;

    private final long windowNanos;

    /** Place ({@link #DATABASE} or a conversation) to when it failed (nanoTime). */
    private final Map<String, Long> failing = new ConcurrentHashMap<>();

    RecentFailures(Duration window) {
        this.windowNanos = window.toNanos();
    }

    boolean knownToFail(SendMessageCommand command) {
        if (failing.isEmpty()) {
            return false;
        }
        long now = System.nanoTime();
        return failedRecently(DATABASE, now) || failedRecently(conversationOf(command), now);
    }

    void failed(SendMessageCommand command, Throwable failure) {
        long now = System.nanoTime();
        if (failing.size() > MAX_REMEMBERED) {
            failing.values().removeIf(since -> now - since >= windowNanos);
        }
        failing.put(CommandFailure.isDatabaseWide(failure) ? DATABASE : conversationOf(command), now);
    }

    void worked(SendMessageCommand command) {
        if (!failing.isEmpty()) {
            failing.remove(DATABASE);
            failing.remove(conversationOf(command));
        }
    }

    private boolean failedRecently(String place, long now) {
        Long since = failing.get(place);
        return since != null && now - since < windowNanos;
    }

    /** The conversation a command goes to, as far as it can be told without the database. */
    private static String conversationOf(SendMessageCommand command) {
        if (command.groupId() != null) {
            return "group:" + command.groupId();
        }
        long low = Math.min(command.senderId(), command.receiverId());
        long high = Math.max(command.senderId(), command.receiverId());
        return "private:" + low + ":" + high;
    }
}
