package org.erpchat.gateway.presence;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.LongFunction;
import org.erpchat.gateway.session.ChatSession;
import org.springframework.scheduling.TaskScheduler;

/**
 * Sessions whose user's contacts could not be loaded (message-service or its key server away, a token it refused):
 * the load is tried again after a capped exponential backoff for as long as the user has a session here, and each of
 * those sessions then gets what it missed at its start, the status of its online contacts. Without this a user whose
 * only session opened during an outage would hear of no contact until it reconnected.
 *
 * <p>One retry per user, however many of their sessions are waiting; a load that succeeds for another session of the
 * user in the meantime is found at the next attempt (it then costs no call).
 */
final class ContactRetries {

    private final TaskScheduler scheduler;
    private final LongFunction<CompletableFuture<Void>> load;
    private final BiConsumer<Long, Collection<ChatSession>> loaded;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final ConcurrentHashMap<Long, Set<ChatSession>> waiting = new ConcurrentHashMap<>();

    /**
     * @param load loads the user's contacts, unless known, with the credentials of their sessions here
     * @param loaded called with the sessions that were waiting once the user's contacts are known
     */
    ContactRetries(
            TaskScheduler scheduler,
            LongFunction<CompletableFuture<Void>> load,
            BiConsumer<Long, Collection<ChatSession>> loaded,
            Duration firstBackoff,
            Duration maxBackoff) {
        this.scheduler = scheduler;
        this.load = load;
        this.loaded = loaded;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
    }

    /** The contacts of the session's user could not be loaded when it opened: try again later. */
    void retryFor(ChatSession session) {
        long user = session.userId();
        boolean[] first = {false};
        waiting.compute(user, (key, sessions) -> {
            Set<ChatSession> growing = sessions == null ? new HashSet<>() : sessions;
            first[0] = sessions == null;
            growing.add(session);
            return growing;
        });
        if (first[0]) {
            schedule(user, 1);
        }
    }

    /** Users whose contacts are being retried. */
    int waitingUsers() {
        return waiting.size();
    }

    private void schedule(long user, int attempt) {
        scheduler.schedule(() -> attempt(user, attempt), Instant.now().plus(backoff(attempt)));
    }

    private void attempt(long user, int attempt) {
        if (!stillWaiting(user)) {
            return;
        }
        CompletableFuture<Void> outcome;
        try {
            outcome = load.apply(user);
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        outcome.whenComplete((done, failure) -> {
            if (failure != null) {
                schedule(user, attempt + 1);
                return;
            }
            Set<ChatSession> sessions = waiting.remove(user);
            if (sessions != null) {
                loaded.accept(user, open(sessions));
            }
        });
    }

    /** Forgets closed sessions; false (and the user forgotten) once none of theirs is left. */
    private boolean stillWaiting(long user) {
        Set<ChatSession> left = waiting.computeIfPresent(user, (key, sessions) -> {
            sessions.removeIf(ChatSession::isClosing);
            return sessions.isEmpty() ? null : sessions;
        });
        return left != null;
    }

    /** Of a set taken out of the map: nothing else changes it any more (changes happen under the map's lock). */
    private static List<ChatSession> open(Set<ChatSession> sessions) {
        return sessions.stream().filter(session -> !session.isClosing()).toList();
    }

    Duration backoff(int attempt) {
        long factor = 1L << Math.min(attempt - 1, 20);
        long millis = Math.min(maxBackoff.toMillis(), firstBackoff.toMillis() * factor);
        return Duration.ofMillis(millis);
    }
}
