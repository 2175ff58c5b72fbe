package org.erpchat.message.ratelimit;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The users this instance has just refused, each until the time its bucket has a send again. A send judged before
 * that time would be refused by Redis too (a bucket refills evenly, and its clock never goes backwards), so it is
 * refused here without a round trip, and above all without the send's transaction: a client hammering a conversation
 * past its limit does not take that conversation's lock for every refused send, in the way of the other members'
 * sends.
 *
 * <p>Only sends given back ({@link #forget}) add to a bucket early; another instance's give-back is not seen here, so
 * for at most one refill interval a send may be refused that Redis would take, with a {@code retry_after} that short.
 * Times are those of {@link RedisSendRateLimiter#at}: nanoseconds on the millisecond scale of the judged time.
 */
final class RecentRefusals {

    private final ConcurrentHashMap<Long, Long> refusedUntil = new ConcurrentHashMap<>();
    private final int maxUsers;

    /** @param maxUsers the most users remembered; beyond that, refusals are Redis's alone until some expire */
    RecentRefusals(int maxUsers) {
        this.maxUsers = maxUsers;
    }

    /**
     * When {@code userId}'s bucket has a send again, if this instance refused the user lately: a send judged before
     * then is refused. 0 when not known.
     */
    long until(long userId) {
        Long until = refusedUntil.get(userId);
        return until == null ? 0 : until;
    }

    /**
     * Remembers that {@code userId}, judged at {@code atNanos}, has no send for {@code waitNanos} (the latest refusal
     * is the bucket's latest state). {@code nowNanos} is the current time: when the map is full, entries that ended
     * before it are dropped.
     */
    void refused(long userId, long atNanos, long waitNanos, long nowNanos) {
        if (waitNanos <= 0) {
            return;
        }
        if (refusedUntil.size() >= maxUsers && !refusedUntil.containsKey(userId)) {
            refusedUntil.values().removeIf(until -> until <= nowNanos);
            if (refusedUntil.size() >= maxUsers) {
                return;
            }
        }
        refusedUntil.put(userId, atNanos + waitNanos);
    }

    /** Forgets {@code userId}'s refusal: its bucket got a send back. */
    void forget(long userId) {
        refusedUntil.remove(userId);
    }

    int size() {
        return refusedUntil.size();
    }
}
