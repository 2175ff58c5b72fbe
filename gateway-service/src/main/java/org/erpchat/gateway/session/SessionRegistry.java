package org.erpchat.gateway.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.erpchat.gateway.config.GatewayProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The sessions this gateway holds: all of them by id, and the authenticated ones by user. Delivery looks users up
 * here for every event, so lookups are lock-free.
 */
@Component
public class SessionRegistry {

    /**
     * How long a ping may go unanswered before its session counts as no longer answering: a client that is there
     * answers within moments.
     */
    static final Duration UNANSWERED_PING_GRACE = Duration.ofSeconds(10);

    private final ConcurrentHashMap<String, ChatSession> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, CopyOnWriteArrayList<ChatSession>> byUser = new ConcurrentHashMap<>();
    /** Per user, when (nanotime) an answering session of theirs was last closed to make room. */
    private final ConcurrentHashMap<Long, Long> lastLimitCloses = new ConcurrentHashMap<>();

    private final int maxSessionsPerUser;
    private final long cooldownNanos;
    private final LongSupplier nanoClock;

    @Autowired
    public SessionRegistry(GatewayProperties properties) {
        this(properties, System::nanoTime);
    }

    SessionRegistry(GatewayProperties properties, LongSupplier nanoClock) {
        this.maxSessionsPerUser = properties.maxSessionsPerUser();
        this.cooldownNanos = properties.sessionLimitCooldown().toNanos();
        this.nanoClock = nanoClock;
    }

    /** A connection that has not authenticated yet. */
    public void add(ChatSession session) {
        byId.put(session.id(), session);
    }

    /**
     * Indexes an authenticated session under its user. Returns the sessions to close (4002) to keep the user within
     * the cap, which the caller closes; the new session itself among them when it was refused. Room is made in this
     * order:
     * <ol>
     *   <li>sessions already closing (a slow consumer, an expired token) leave without counting: a client that
     *       reconnects after such a close must not evict a healthy tab of the same user;
     *   <li>sessions that no longer answer pings (a laptop that went to sleep, a network that vanished: their sockets
     *       linger until the idle timeout), the most silent first: pinged more than {@link #UNANSWERED_PING_GRACE}
     *       ago, nothing received since, and no write to them under way (a ping waits behind the write in progress);
     *   <li>the new session, when an answering session of the user's was closed to make room within the cooldown: a
     *       tab closed that way that reconnects (the seed's client does, five times) must not close the next tab,
     *       which would reconnect and close the next, for as long as the tabs stay open;
     *   <li>otherwise the oldest.
     * </ol>
     */
    public List<ChatSession> activate(ChatSession session) {
        if (session.isClosing()) {
            // Leaving anyway (the caller undoes what it began): it must not make room by closing another.
            return List.of();
        }
        List<ChatSession> toClose = new ArrayList<>();
        long now = nanoClock.getAsLong();
        byUser.compute(session.userId(), (user, sessions) -> {
            CopyOnWriteArrayList<ChatSession> list = sessions == null ? new CopyOnWriteArrayList<>() : sessions;
            list.addIfAbsent(session);
            if (list.size() > maxSessionsPerUser) {
                list.removeIf(ChatSession::isClosing);
            }
            while (list.size() > maxSessionsPerUser) {
                ChatSession unanswering = mostSilent(list, session, now);
                if (unanswering != null) {
                    list.remove(unanswering);
                    toClose.add(unanswering);
                } else if (withinCooldown(user, now) && list.remove(session)) {
                    toClose.add(session);
                } else {
                    toClose.add(list.remove(0));
                    lastLimitCloses.put(user, now);
                }
            }
            return list;
        });
        return toClose;
    }

    /**
     * Whether one more session of the user would be refused now: they hold the cap in sessions that answer, and one of
     * them was closed to make room within the cooldown. Asked at the handshake of a token given there, where a refusal
     * is an HTTP error rather than an open connection closed: the seed's client counts it as a failed attempt and gives
     * up after five, where an opened one would reset its count and reconnect every second.
     */
    public boolean refuses(long userId) {
        List<ChatSession> sessions = byUser.get(userId);
        long now = nanoClock.getAsLong();
        if (sessions == null || !withinCooldown(userId, now)) {
            return false;
        }
        int answering = 0;
        for (ChatSession session : sessions) {
            if (!session.isClosing() && !unanswering(session, now)) {
                answering++;
            }
        }
        return answering >= maxSessionsPerUser;
    }

    /** The session other than {@code newcomer} that has been silent longest, if it no longer answers pings. */
    private static ChatSession mostSilent(List<ChatSession> sessions, ChatSession newcomer, long now) {
        ChatSession silent = null;
        for (ChatSession candidate : sessions) {
            if (candidate != newcomer
                    && unanswering(candidate, now)
                    && (silent == null || candidate.lastInboundNanos() < silent.lastInboundNanos())) {
                silent = candidate;
            }
        }
        return silent;
    }

    private static boolean unanswering(ChatSession session, long now) {
        long pinged = session.lastPingNanos();
        return pinged - session.lastInboundNanos() > 0
                && now - pinged > UNANSWERED_PING_GRACE.toNanos()
                && session.outbound().inFlightSinceNanos() == 0;
    }

    private boolean withinCooldown(long user, long now) {
        Long last = lastLimitCloses.get(user);
        if (last == null) {
            return false;
        }
        if (now - last < cooldownNanos) {
            return true;
        }
        lastLimitCloses.remove(user, last);
        return false;
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
                if (sessions.isEmpty()) {
                    lastLimitCloses.remove(user);
                    return null;
                }
                return sessions;
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
    public synchronized boolean awaitEmpty(Duration timeout) throws InterruptedException {
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
