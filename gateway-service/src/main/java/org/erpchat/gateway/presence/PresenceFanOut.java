package org.erpchat.gateway.presence;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.erpchat.events.ConversationKind;
import org.erpchat.events.GroupMembershipChanged;
import org.erpchat.events.MessageCreated;
import org.erpchat.events.PresenceChanged;
import org.erpchat.gateway.backend.BatchCallThreads;
import org.erpchat.gateway.backend.MessageServiceClient;
import org.erpchat.gateway.backend.PresenceServiceClient;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.session.ChatSession;
import org.erpchat.gateway.session.Credentials;
import org.erpchat.gateway.session.SessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Who hears of whose status (docs/protocol.md, {@code user_online_status}). A user's status is pushed to the local
 * users who share a private conversation or a small group with them (at most {@code presence.push-group-limit}
 * members; or to everyone connected, the seed's behaviour, with {@code presence.fan-out=everyone}), and to the
 * sessions that follow them with {@code presence_subscribe}, which is how members of large groups see each other.
 * Statuses go through the {@link PresenceBatcher}: at most one flush per interval per session. When a user's first
 * session opens, their contacts are loaded together with those of the users who connect with them ({@link
 * ContactLoads}, unless kept from an earlier session); the session then gets the status of its online contacts, looked
 * up together with those of the sessions that open with it ({@link StatusLookups}). A load that failed is tried again
 * while the user has a session here ({@link ContactRetries}). Changes are disposable, dropped first under pressure;
 * the statuses a {@code presence_batch} session is owed once (its snapshot, a subscription's answer) are not. A failed
 * status lookup only costs a snapshot.
 */
@Component
public class PresenceFanOut {

    private static final Logger log = LoggerFactory.getLogger(PresenceFanOut.class);

    private final ContactDirectory contacts;
    private final PresenceSubscriptions subscriptions;
    private final PresenceBatcher batcher;
    private final SessionRegistry sessions;
    private final StatusLookups statusLookups;
    private final ContactLoads contactLoads;
    private final ContactRetries retries;
    /** Each session's latest {@code presence_subscribe}: only its look-up is still wanted. */
    private final ConcurrentHashMap<ChatSession, Object> latestSubscriptions = new ConcurrentHashMap<>();

    private final Executor executor;
    private final GatewayProperties.Presence settings;

    @Autowired
    PresenceFanOut(
            ContactDirectory contacts,
            PresenceSubscriptions subscriptions,
            PresenceBatcher batcher,
            SessionRegistry sessions,
            MessageServiceClient messageService,
            PresenceServiceClient presenceService,
            AsyncTaskExecutor applicationTaskExecutor,
            BatchCallThreads batchCalls,
            TaskScheduler scheduler,
            GatewayProperties properties) {
        this(
                contacts,
                subscriptions,
                batcher,
                sessions,
                messageService,
                presenceService,
                applicationTaskExecutor,
                batchCalls.executor(),
                scheduler,
                properties);
    }

    /**
     * @param tasks where a session's contacts load is started (a short task: the load itself is a batch)
     * @param batchCalls where the batched look-ups of contacts and statuses run ({@link BatchCallThreads})
     */
    PresenceFanOut(
            ContactDirectory contacts,
            PresenceSubscriptions subscriptions,
            PresenceBatcher batcher,
            SessionRegistry sessions,
            MessageServiceClient messageService,
            PresenceServiceClient presenceService,
            Executor tasks,
            Executor batchCalls,
            TaskScheduler scheduler,
            GatewayProperties properties) {
        this.contacts = contacts;
        this.subscriptions = subscriptions;
        this.batcher = batcher;
        this.sessions = sessions;
        this.statusLookups = new StatusLookups(
                (token, users) -> presenceService.query(token, users).stream()
                        .map(found -> new PresenceStatus(found.userId(), found.isOnline(), found.lastSeenAt()))
                        .toList(),
                batchCalls);
        this.contactLoads = new ContactLoads(
                (token, tokens) -> messageService.contactsOf(token, tokens, groupLimitForContacts()), batchCalls);
        this.executor = tasks;
        this.settings = properties.presence();
        this.retries = new ContactRetries(
                scheduler,
                this::loadWithAnySession,
                this::contactsKnown,
                settings.contactsRetryBackoff(),
                settings.contactsRetryMaxBackoff());
    }

    public void presenceChanged(PresenceChanged event) {
        long user = event.userId();
        PresenceStatus status = new PresenceStatus(user, event.online(), event.lastSeenAt());
        if (settings.fanOut() == GatewayProperties.Presence.FanOut.EVERYONE) {
            for (List<ChatSession> userSessions : sessions.byUser()) {
                offerToAll(userSessions, user, status);
            }
        } else {
            for (Long watcher : contacts.watchersOf(user)) {
                offerToAll(sessions.sessionsOf(watcher), user, status);
            }
        }
        offerToAll(subscriptions.followersOf(user), user, status);
    }

    /**
     * A session authenticated: make sure the user's contacts are known, then tell it who of them is online. A pool too
     * busy to take the load now (its queue full while message-service answers slowly) leaves it to the retries, as a
     * failed load does: the connection is not refused for it.
     */
    public void sessionOpened(ChatSession session) {
        long user = session.userId();
        try {
            executor.execute(() -> loadContacts(user, session.credentials()).whenComplete((loaded, failure) -> {
                if (failure != null) {
                    log.debug("No contacts for {} yet: {}", session, failure.getMessage());
                    retries.retryFor(session);
                } else {
                    contactsKnown(user, List.of(session));
                }
            }));
        } catch (RejectedExecutionException e) {
            retries.retryFor(session);
        }
    }

    private CompletableFuture<Void> loadContacts(long user, Credentials credentials) {
        return contacts.loadIfAbsent(user, () -> contactLoads.load(user, credentials));
    }

    /** A retry's load, with the longest-held token of the user's sessions here (a session may have renewed its own). */
    private CompletableFuture<Void> loadWithAnySession(long user) {
        List<ChatSession> userSessions = sessions.sessionsOf(user);
        if (userSessions.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return loadContacts(user, Credentials.longestHeld(userSessions.stream().map(ChatSession::credentials)));
    }

    /** The user's contacts are known: each of these sessions gets the status of those online. */
    private void contactsKnown(long user, Collection<ChatSession> waiting) {
        if (!sessions.hasUser(user)) {
            // The user left while their contacts loaded, and that close found nothing to drop.
            contacts.drop(user);
            return;
        }
        List<Long> wanted = contacts.contactsOf(user).stream()
                .limit(settings.initialStatusLimit())
                .toList();
        waiting.forEach(session -> offerStatuses(session, wanted));
    }

    /**
     * {@code presence_subscribe}: from now on the session follows exactly these users; it gets their current status
     * (online or not) at the next flush, then every change.
     */
    public void subscribe(ChatSession session, List<Long> users) {
        List<Long> others =
                users.stream().filter(user -> user != session.userId()).toList();
        subscriptions.replace(session, others);
        Object subscription = new Object();
        latestSubscriptions.put(session, subscription);
        if (others.isEmpty()) {
            return;
        }
        statusLookups.request(new StatusLookups.Request(
                session.credentials(),
                others,
                false,
                status -> batcher.answer(session, status),
                () -> !session.isClosing() && latestSubscriptions.get(session) == subscription));
    }

    /** The session closed: it follows nobody and gets nothing more. */
    public void sessionClosed(ChatSession session) {
        subscriptions.remove(session);
        latestSubscriptions.remove(session);
        batcher.forget(session);
    }

    /** The user's last session on this gateway closed. */
    public void userLeft(long userId) {
        contacts.drop(userId);
    }

    /**
     * A private message may be the first between two users: they are contacts from now on. Group members are learned
     * from membership events, not from every message (that would be members-squared work per group message).
     */
    public void learn(MessageCreated event) {
        // Two recipients, the two users of the conversation: a record listing more (it did not come from
        // message-service) would cost recipients-squared work here.
        if (event.conversationKind() == ConversationKind.PRIVATE
                && event.recipientIds().size() == 2) {
            for (Long recipient : event.recipientIds()) {
                contacts.add(recipient, event.recipientIds());
            }
        }
    }

    public void learn(GroupMembershipChanged event) {
        if (event.change() == GroupMembershipChanged.Change.MEMBERS_REMOVED) {
            if (event.memberIds().size() > settings.pushGroupLimit()) {
                // Too large to make its members contacts now. It may have made them contacts while it was small (a
                // group that grew keeps what it taught): reload only those who count a removed user among their
                // contacts, not every member of a large group.
                Set<Long> members = Set.copyOf(event.memberIds());
                Set<Long> affected = new HashSet<>();
                for (Long removed : event.affectedUserIds()) {
                    contacts.forgetRetained(removed);
                    affected.add(removed);
                    contacts.watchersOf(removed).stream()
                            .filter(members::contains)
                            .forEach(affected::add);
                }
                affected.stream().filter(contacts::isLoaded).forEach(this::reload);
                return;
            }
            // Someone left: who shares a conversation with whom may have shrunk; ask again rather than guess.
            List<Long> involved = new ArrayList<>(event.memberIds());
            involved.addAll(event.affectedUserIds());
            involved.forEach(contacts::forgetRetained);
            involved.stream().filter(contacts::isLoaded).forEach(this::reload);
            return;
        }
        if (event.memberIds().size() <= settings.pushGroupLimit()) {
            for (Long member : event.memberIds()) {
                contacts.add(member, event.memberIds());
            }
        }
    }

    private int groupLimitForContacts() {
        // A group has at least two members; "no groups" is asked for as "groups of at most one".
        return Math.max(1, settings.pushGroupLimit());
    }

    private void reload(long user) {
        List<ChatSession> userSessions = sessions.sessionsOf(user);
        if (userSessions.isEmpty()) {
            return;
        }
        ChatSession any = userSessions.get(0);
        contactLoads.load(user, any.credentials()).whenComplete((loaded, failure) -> {
            if (failure != null) {
                log.debug("Could not reload contacts of user {}: {}", user, failure.getMessage());
            } else if (sessions.hasUser(user)) {
                // Not for a user who left meanwhile: nothing would ever drop what is loaded for them.
                contacts.load(user, loaded);
            }
        });
    }

    /** The snapshot of a session that opened: who of its contacts is online. */
    private void offerStatuses(ChatSession session, List<Long> users) {
        statusLookups.request(new StatusLookups.Request(
                session.credentials(),
                users,
                true,
                status -> batcher.answer(session, status),
                () -> !session.isClosing()));
    }

    private void offerToAll(Collection<ChatSession> targets, long aboutUser, PresenceStatus status) {
        for (ChatSession session : targets) {
            if (session.isAuthenticated() && session.userId() != aboutUser) {
                batcher.offer(session, status);
            }
        }
    }
}
