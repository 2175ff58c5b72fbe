package org.erpchat.gateway.presence;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.erpchat.gateway.config.GatewayProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * For each user connected here, who shares a conversation with them ("contacts"), and the reverse: for each user
 * anywhere, which local users should hear when they come online or go offline. Loaded from message-service when a
 * user's first session opens, grown by every message and membership event that passes by.
 *
 * <p>When a user's last session here closes, their contacts are kept for {@code presence.contacts-retention} and kept
 * current by the same events, so a client that reconnects (a network change, a reloaded page, a laptop opened again)
 * costs no call to message-service. A membership removal that involves them forgets what was kept: who shares a
 * conversation with whom may have shrunk, and the next session asks again.
 */
@Component
class ContactDirectory {

    /** More users than this kept after their last session: the oldest are not worth the memory; ask again. */
    private static final int MAX_RETAINED = 200_000;

    private final ConcurrentHashMap<Long, Set<Long>> contactsOf = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Set<Long>> watchersOf = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, CompletableFuture<Void>> loading = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Retained> retained = new ConcurrentHashMap<>();
    private final long retentionNanos;

    private static final CompletableFuture<Void> LOADED = CompletableFuture.completedFuture(null);

    @Autowired
    ContactDirectory(GatewayProperties properties) {
        this(properties.presence().contactsRetention());
    }

    ContactDirectory(Duration retention) {
        this.retentionNanos = retention.toNanos();
    }

    /**
     * Loads a local user's contacts unless they are known; the answer completes once they are. Sessions of the same
     * user that open together share one load: none of them sees a half-loaded set.
     */
    public CompletableFuture<Void> loadIfAbsent(
            long localUser, Supplier<? extends CompletionStage<? extends Collection<Long>>> contacts) {
        if (contactsOf.containsKey(localUser)) {
            return LOADED;
        }
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> running = loading.putIfAbsent(localUser, mine);
        if (running != null) {
            return running;
        }
        try {
            if (restoreRetained(localUser)) {
                finish(localUser, mine, null);
            } else {
                contacts.get().whenComplete((loaded, failure) -> {
                    Throwable outcome = failure;
                    if (outcome == null) {
                        try {
                            load(localUser, loaded);
                        } catch (RuntimeException e) {
                            outcome = e;
                        }
                    }
                    finish(localUser, mine, outcome);
                });
            }
        } catch (RuntimeException e) {
            finish(localUser, mine, e);
        }
        return mine;
    }

    private void finish(long localUser, CompletableFuture<Void> load, Throwable failure) {
        loading.remove(localUser, load);
        if (failure == null) {
            load.complete(null);
        } else {
            load.completeExceptionally(
                    failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause()
                            : failure);
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

    /**
     * Records that a local user now shares a conversation with these users; kept for a user whose contacts are kept
     * after their last session, ignored for anyone else.
     */
    public void add(long localUser, Collection<Long> users) {
        Set<Long> contacts = contactsOf.get(localUser);
        if (contacts == null) {
            retained.computeIfPresent(localUser, (user, kept) -> {
                users.stream().filter(other -> other != localUser).forEach(kept.contacts()::add);
                return kept;
            });
            // A session may have restored them meanwhile (restoreRetained runs under the same key's lock).
            contacts = contactsOf.get(localUser);
            if (contacts == null) {
                return;
            }
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

    /** The user's last session here closed: nobody here hears of their contacts now; keep the contacts a while. */
    public void drop(long localUser) {
        Set<Long> contacts = contactsOf.remove(localUser);
        if (contacts != null) {
            contacts.forEach(contact -> unwatch(contact, localUser));
            if (retentionNanos > 0 && retained.size() < MAX_RETAINED) {
                retained.put(localUser, new Retained(contacts, System.nanoTime() + retentionNanos));
            }
        }
    }

    /** What is kept of a user who has no session here may be out of date (a membership removal): ask again. */
    public void forgetRetained(long user) {
        retained.remove(user);
    }

    boolean isRetained(long user) {
        return retained.containsKey(user);
    }

    @Scheduled(fixedDelayString = "${chat.gateway.presence.contacts-retention-sweep:60s}")
    void forgetExpired() {
        long now = System.nanoTime();
        retained.values().removeIf(kept -> kept.expiredAt(now));
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

    /** Loads what was kept of the user, if it is still fresh; under the key's lock, so {@link #add} loses nothing. */
    private boolean restoreRetained(long localUser) {
        boolean[] restored = {false};
        retained.computeIfPresent(localUser, (user, kept) -> {
            if (!kept.expiredAt(System.nanoTime())) {
                load(user, kept.contacts());
                restored[0] = true;
            }
            return null;
        });
        return restored[0];
    }

    private void unwatch(long contact, long localUser) {
        watchersOf.computeIfPresent(contact, (key, watchers) -> {
            watchers.remove(localUser);
            return watchers.isEmpty() ? null : watchers;
        });
    }

    private record Retained(Set<Long> contacts, long expiresAtNanos) {
        boolean expiredAt(long nowNanos) {
            return nowNanos - expiresAtNanos > 0;
        }
    }
}
