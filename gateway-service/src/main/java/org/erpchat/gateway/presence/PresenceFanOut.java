package org.erpchat.gateway.presence;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.erpchat.events.ConversationKind;
import org.erpchat.events.GroupMembershipChanged;
import org.erpchat.events.MessageCreated;
import org.erpchat.events.PresenceChanged;
import org.erpchat.gateway.backend.BackendException;
import org.erpchat.gateway.backend.MessageServiceClient;
import org.erpchat.gateway.backend.PresenceServiceClient;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.metrics.GatewayMetrics;
import org.erpchat.gateway.protocol.ServerEvents;
import org.erpchat.gateway.session.ChatSession;
import org.erpchat.gateway.session.OutboundFrame;
import org.erpchat.gateway.session.SessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Delivers {@code user_online_status}: to the local users who share a conversation with the user whose status changed
 * (or to everyone connected, the seed's behaviour, when {@code chat.gateway.presence.fan-out=everyone}), and, when a
 * session opens, the current status of the user's online contacts. Presence is disposable: it is dropped first under
 * pressure and a failed lookup only costs the initial snapshot.
 */
@Component
public class PresenceFanOut {

    private static final Logger log = LoggerFactory.getLogger(PresenceFanOut.class);
    private static final int QUERY_CHUNK = 500;

    private final ContactDirectory contacts;
    private final SessionRegistry sessions;
    private final MessageServiceClient messageService;
    private final PresenceServiceClient presenceService;
    private final AsyncTaskExecutor executor;
    private final GatewayMetrics metrics;
    private final GatewayProperties.Presence settings;

    public PresenceFanOut(
            ContactDirectory contacts,
            SessionRegistry sessions,
            MessageServiceClient messageService,
            PresenceServiceClient presenceService,
            AsyncTaskExecutor applicationTaskExecutor,
            GatewayMetrics metrics,
            GatewayProperties properties) {
        this.contacts = contacts;
        this.sessions = sessions;
        this.messageService = messageService;
        this.presenceService = presenceService;
        this.executor = applicationTaskExecutor;
        this.metrics = metrics;
        this.settings = properties.presence();
    }

    public void presenceChanged(PresenceChanged event) {
        OutboundFrame frame = OutboundFrame.disposable(ServerEvents.frame(
                "user_online_status",
                new ServerEvents.OnlineStatus(event.userId(), event.online(), event.lastSeenAt())));
        if (settings.fanOut() == GatewayProperties.Presence.FanOut.EVERYONE) {
            for (List<ChatSession> userSessions : sessions.byUser()) {
                sendToAll(userSessions, event.userId(), frame);
            }
        } else {
            for (Long watcher : contacts.watchersOf(event.userId())) {
                sendToAll(sessions.sessionsOf(watcher), event.userId(), frame);
            }
        }
    }

    /** A session authenticated: make sure the user's contacts are known, then tell it who of them is online. */
    public void sessionOpened(ChatSession session) {
        executor.execute(() -> {
            try {
                long user = session.userId();
                if (!contacts.isLoaded(user)) {
                    contacts.load(
                            user, messageService.contacts(session.credentials().token()));
                }
                sendInitialStatuses(session);
            } catch (BackendException e) {
                log.debug("No presence snapshot for {}: {}", session, e.getMessage());
            }
        });
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
        if (event.conversationKind() == ConversationKind.PRIVATE) {
            for (Long recipient : event.recipientIds()) {
                contacts.add(recipient, event.recipientIds());
            }
        }
    }

    public void learn(GroupMembershipChanged event) {
        if (event.change() == GroupMembershipChanged.Change.MEMBERS_REMOVED) {
            // Someone left: who shares a conversation with whom may have shrunk; ask again rather than guess.
            List<Long> involved = new ArrayList<>(event.memberIds());
            involved.addAll(event.affectedUserIds());
            involved.stream().filter(contacts::isLoaded).forEach(this::reload);
            return;
        }
        for (Long member : event.memberIds()) {
            contacts.add(member, event.memberIds());
        }
    }

    private void reload(long user) {
        List<ChatSession> userSessions = sessions.sessionsOf(user);
        if (userSessions.isEmpty()) {
            return;
        }
        ChatSession any = userSessions.get(0);
        executor.execute(() -> {
            try {
                contacts.load(user, messageService.contacts(any.credentials().token()));
            } catch (BackendException e) {
                log.debug("Could not reload contacts of user {}: {}", user, e.getMessage());
            }
        });
    }

    private void sendInitialStatuses(ChatSession session) {
        List<Long> wanted = contacts.contactsOf(session.userId()).stream()
                .limit(settings.initialStatusLimit())
                .toList();
        for (int from = 0; from < wanted.size(); from += QUERY_CHUNK) {
            List<Long> chunk = wanted.subList(from, Math.min(wanted.size(), from + QUERY_CHUNK));
            for (PresenceServiceClient.Presence presence :
                    presenceService.query(session.credentials().token(), chunk)) {
                if (presence.isOnline()) {
                    session.send(OutboundFrame.disposable(ServerEvents.frame(
                            "user_online_status",
                            new ServerEvents.OnlineStatus(presence.userId(), true, presence.lastSeenAt()))));
                }
            }
        }
    }

    private void sendToAll(Collection<ChatSession> targets, long aboutUser, OutboundFrame frame) {
        for (ChatSession session : targets) {
            if (session.userId() != aboutUser) {
                session.send(frame);
                metrics.delivered("user_online_status");
            }
        }
    }
}
