package org.erpchat.gateway.presence;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * For each user connected here, who shares a conversation with them ("contacts"), and the reverse: for each user
 * anywhere, which local users should hear when they come online or go offline. Loaded from message-service when a
 * user's first session opens, grown by every message and membership event that passes by, dropped when their last
 * session here closes.
 */
@Component
public class ContactDirectory {

    private final ConcurrentHashMap<Long, Set<Long>> contactsOf = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Set<Long>> watchersOf = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, CompletableFuture<Void>> loading = new ConcurrentHashMap<>();

    /**
     * Loads a local user's contacts unless they are known, and returns once they are. Sessions of the same user that
     * open together share one load: none of them sees a half-loaded set.
     */
    public void loadIfAbsent(long localUser, Supplier<Collection<Long>> contacts) {
        if (contactsOf.containsKey(localUser)) {
            return;
        }
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> running = loading.putIfAbsent(localUser, mine);
        if (running != null) {
            try {
                running.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
            return;
        }
        try {
            load(localUser, contacts.get());
            mine.complete(null);
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            loading.remove(localUser, mine);
        }
    }

    /**
     * Replaces what is known of a local user's contacts. The reverse index is complete before the user counts as
     * loaded, so a status change is never routed to half of what was loaded.
     */
    public void load(long localUser, Collection<Long> contacts) {
        Set<Long> fresh = ConcurrentHashMap.newKeySet();
        for (Long user : contacts) {
            if (user != localUser && fresh.add(user)) {
                watchersOf
                        .computeIfAbsent(user, key -> ConcurrentHashMap.newKeySet())
                        .add(localUser);
            }
        }
        Set<Long> previous = contactsOf.put(localUser, fresh);
        if (previous != null) {
            previous.stream()
                    .filter(contact -> !fresh.contains(contact))
                    .forEach(contact -> unwatch(contact, localUser));
        }
    }

    /** Records that a local user now shares a conversation with these users; ignored for users not connected here. */
    public void add(long localUser, Collection<Long> users) {
        Set<Long> contacts = contactsOf.get(localUser);
        if (contacts == null) {
            return;
        }
        for (Long user : users) {
            if (user != localUser && contacts.add(user)) {
                watchersOf
                        .computeIfAbsent(user, key -> ConcurrentHashMap.newKeySet())
                        .add(localUser);
            }
        }
    }

    public boolean isLoaded(long localUser) {
        return contactsOf.containsKey(localUser);
    }

    /** The user's last session here closed. */
    public void drop(long localUser) {
        Set<Long> contacts = contactsOf.remove(localUser);
        if (contacts != null) {
            contacts.forEach(contact -> unwatch(contact, localUser));
        }
    }

    public Set<Long> contactsOf(long localUser) {
        Set<Long> contacts = contactsOf.get(localUser);
        return contacts == null ? Set.of() : Set.copyOf(contacts);
    }

    /** Local users who share a conversation with {@code user}. */
    public Set<Long> watchersOf(long user) {
        Set<Long> watchers = watchersOf.get(user);
        return watchers == null ? Set.of() : watchers;
    }

    private void unwatch(long contact, long localUser) {
        watchersOf.computeIfPresent(contact, (key, watchers) -> {
            watchers.remove(localUser);
            return watchers.isEmpty() ? null : watchers;
        });
    }
}
