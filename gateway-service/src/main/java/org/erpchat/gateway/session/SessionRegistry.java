package org.erpchat.gateway.session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.erpchat.gateway.config.GatewayProperties;
import org.springframework.stereotype.Component;

/**
 * The sessions this gateway holds: all of them by id, and the authenticated ones by user. Delivery looks users up
 * here for every event, so lookups are lock-free.
 */
@Component
public class SessionRegistry {

    private final ConcurrentHashMap<String, ChatSession> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, CopyOnWriteArrayList<ChatSession>> byUser = new ConcurrentHashMap<>();
    private final int maxSessionsPerUser;

    public SessionRegistry(GatewayProperties properties) {
        this.maxSessionsPerUser = properties.maxSessionsPerUser();
    }

    /** A connection that has not authenticated yet. */
    public void add(ChatSession session) {
        byId.put(session.id(), session);
    }

    /**
     * Indexes an authenticated session under its user. Returns the user's oldest sessions beyond the cap, which the
     * caller closes. Sessions already closing (a slow consumer, an expired token) make room first, without counting:
     * a client that reconnects after such a close must not evict a healthy tab of the same user.
     */
    public List<ChatSession> activate(ChatSession session) {
        List<ChatSession> evicted = new ArrayList<>();
        byUser.compute(session.userId(), (user, sessions) -> {
            CopyOnWriteArrayList<ChatSession> list = sessions == null ? new CopyOnWriteArrayList<>() : sessions;
            list.addIfAbsent(session);
            if (list.size() > maxSessionsPerUser) {
                list.removeIf(ChatSession::isClosing);
            }
            while (list.size() > maxSessionsPerUser) {
                evicted.add(list.remove(0));
            }
            return list;
        });
        return evicted;
    }

    public void remove(ChatSession session) {
        if (byId.remove(session.id(), session) && byId.isEmpty()) {
            synchronized (this) {
                notifyAll();
            }
        }
        if (session.isAuthenticated()) {
            byUser.computeIfPresent(session.userId(), (user, sessions) -> {
                sessions.remove(session);
                return sessions.isEmpty() ? null : sessions;
            });
        }
    }

    /**
     * The user's sessions, a snapshot that is safe to iterate while sessions come and go. Takes the id boxed: a
     * delivery's recipients arrive as {@code Long}s, and boxing each again for the look-up allocated an object per
     * recipient of every message.
     */
    public List<ChatSession> sessionsOf(Long userId) {
        List<ChatSession> sessions = byUser.get(userId);
        return sessions == null ? List.of() : sessions;
    }

    public boolean hasUser(long userId) {
        return byUser.containsKey(userId);
    }

    public Optional<ChatSession> find(String sessionId) {
        return Optional.ofNullable(byId.get(sessionId));
    }

    public Collection<ChatSession> all() {
        return byId.values();
    }

    /** Authenticated sessions, user by user. */
    public Collection<? extends List<ChatSession>> byUser() {
        return byUser.values();
    }

    /** Waits until no session is left; false on timeout. */
    public synchronized boolean awaitEmpty(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!byId.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    public int size() {
        return byId.size();
    }

    public int users() {
        return byUser.size();
    }
}
