package org.erpchat.gateway.presence;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.erpchat.gateway.session.ChatSession;
import org.springframework.stereotype.Component;

/**
 * The users each session asked to follow with {@code presence_subscribe} (typically the members a client shows on
 * screen), and the reverse index the fan-out reads: which sessions follow a user. This is how members of large groups
 * learn each other's status: by asking, not by a push to everyone.
 */
@Component
class PresenceSubscriptions {

    private final ConcurrentHashMap<ChatSession, Set<Long>> bySession = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Set<ChatSession>> byUser = new ConcurrentHashMap<>();

    /** Replaces what the session follows. */
    void replace(ChatSession session, Collection<Long> users) {
        Set<Long> next = Set.copyOf(users);
        Set<Long> previous = next.isEmpty() ? bySession.remove(session) : bySession.put(session, next);
        if (previous != null) {
            for (Long user : previous) {
                if (!next.contains(user)) {
                    unfollow(user, session);
                }
            }
        }
        for (Long user : next) {
            byUser.computeIfAbsent(user, key -> ConcurrentHashMap.newKeySet()).add(session);
        }
    }

    /** The session closed. */
    void remove(ChatSession session) {
        Set<Long> previous = bySession.remove(session);
        if (previous != null) {
            previous.forEach(user -> unfollow(user, session));
        }
    }

    /** Sessions that follow {@code user}. */
    Collection<ChatSession> followersOf(long user) {
        Set<ChatSession> followers = byUser.get(user);
        return followers == null ? List.of() : followers;
    }

    private void unfollow(long user, ChatSession session) {
        byUser.computeIfPresent(user, (key, followers) -> {
            followers.remove(session);
            return followers.isEmpty() ? null : followers;
        });
    }
}
