package org.erpchat.gateway.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.erpchat.events.ConversationRead;
import org.erpchat.events.GroupMembershipChanged;
import org.erpchat.events.MessageCreated;
import org.erpchat.gateway.config.GatewayIdentity;
import org.erpchat.gateway.metrics.GatewayMetrics;
import org.erpchat.gateway.presence.PresenceFanOut;
import org.erpchat.gateway.protocol.PreparedMessage;
import org.erpchat.gateway.protocol.ServerEvents;
import org.erpchat.gateway.protocol.WireMessage;
import org.erpchat.gateway.read.ReadRelay;
import org.erpchat.gateway.replay.CatchUp;
import org.erpchat.gateway.session.ChatSession;
import org.erpchat.gateway.session.LiveMessage;
import org.erpchat.gateway.session.OutboundFrame;
import org.erpchat.gateway.session.SessionRegistry;
import org.erpchat.gateway.typing.ConversationDirectory;
import org.erpchat.gateway.typing.TypingRelay;
import org.springframework.stereotype.Component;

/**
 * Routes message events to the sessions that may see them, and only those: a message to every local session of the
 * participants it names (the sender's other sessions included), its acknowledgement to the session that sent it, a
 * membership change to the group's members and to those it affected, a moved read marker to the users it names. The writing happens on the {@link FanOutLanes},
 * in the order the events were read; each session's {@link org.erpchat.gateway.session.MessageStream} keeps the order
 * and starts a catch-up when a gap shows.
 */
@Component
class MessageRouter {

    private final SessionRegistry sessions;
    private final CatchUp catchUp;
    private final ConversationDirectory conversations;
    private final PresenceFanOut presence;
    private final TypingRelay typing;
    private final GatewayMetrics metrics;
    private final FanOutLanes lanes;
    private final String gatewayId;

    public MessageRouter(
            SessionRegistry sessions,
            CatchUp catchUp,
            ConversationDirectory conversations,
            PresenceFanOut presence,
            TypingRelay typing,
            GatewayMetrics metrics,
            FanOutLanes lanes,
            GatewayIdentity identity) {
        this.sessions = sessions;
        this.catchUp = catchUp;
        this.conversations = conversations;
        this.presence = presence;
        this.typing = typing;
        this.metrics = metrics;
        this.lanes = lanes;
        this.gatewayId = identity.id();
    }

    public void messageCreated(MessageCreated event) {
        conversations.learn(event);
        presence.learn(event);
        WireMessage wire = WireMessage.from(event);
        String originSession =
                event.origin() != null && gatewayId.equals(event.origin().gatewayId())
                        ? event.origin().sessionId()
                        : null;
        List<ChatSession> targets = targets(distinct(event.recipientIds()));
        if (targets.isEmpty()) {
            return;
        }
        PreparedMessage message = new PreparedMessage(wire, targets.size());
        Instant createdAt = event.createdAt();
        // One of each for all the sessions, not one per session.
        LiveMessage delivery =
                new LiveMessage(message, false, createdAt, GatewayMetrics.latencySampling(targets.size()));
        LiveMessage acknowledgement = new LiveMessage(message, true, createdAt);
        lanes.forEach(targets, session -> {
            boolean ack = session.id().equals(originSession);
            if (session.offerLive(ack ? acknowledgement : delivery)) {
                catchUp.start(session);
            }
            if (ack) {
                typing.messageSent(session, event);
            }
        });
        boolean acked = originSession != null
                && targets.stream().anyMatch(session -> session.id().equals(originSession));
        metrics.delivered(wire.deliveryEvent(), targets.size() - (acked ? 1 : 0));
        metrics.delivered("message_sent", acked ? 1 : 0);
    }

    public void membershipChanged(GroupMembershipChanged event) {
        conversations.learn(event);
        presence.learn(event);
        ServerEvents.GroupUpdated update = ServerEvents.GroupUpdated.of(
                event.groupId(),
                event.groupName(),
                event.change().name().toLowerCase(java.util.Locale.ROOT),
                event.actorId(),
                event.affectedUserIds(),
                event.memberIds());
        OutboundFrame frame = groupUpdated(update);
        // Too many affected users to list in everyone's frame: each of them gets one naming them.
        Set<Long> affected = ServerEvents.GroupUpdated.listsAffected(event.affectedUserIds())
                ? Set.of()
                : new HashSet<>(event.affectedUserIds());
        Set<Long> told = new LinkedHashSet<>(event.memberIds());
        told.addAll(event.affectedUserIds());
        List<ChatSession> targets = targets(told);
        // Through the same lanes as messages: a member added sees group_updated before the group's next message.
        lanes.forEach(
                targets,
                session -> session.send(
                        !affected.isEmpty() && affected.contains(session.userId())
                                ? groupUpdated(update.forAffected(session.userId()))
                                : frame));
        metrics.delivered("group_updated", targets.size());
    }

    private static OutboundFrame groupUpdated(ServerEvents.GroupUpdated update) {
        return OutboundFrame.control(ServerEvents.frame("group_updated", update));
    }

    /**
     * A read marker moved: {@code conversation_read} to the sessions of the users it names. Through the same lanes as
     * messages, read from the same partition: the message it names went to the lanes first, so it reaches each session
     * first (and a session that holds messages back holds the marker with them: {@link ChatSession#sendRead}).
     */
    public void conversationRead(ConversationRead event) {
        OutboundFrame frame = ReadRelay.conversationRead(event);
        List<ChatSession> targets = targets(new LinkedHashSet<>(event.notifyUserIds()));
        lanes.forEach(
                targets, session -> session.sendRead(event.conversationId(), event.userId(), event.readSeq(), frame));
        metrics.delivered("conversation_read", targets.size());
    }

    private List<ChatSession> targets(Collection<Long> users) {
        List<ChatSession> targets = new ArrayList<>(users.size());
        // forEach walks each user's copy-on-write list in place; addAll would copy it into a new array per user.
        Consumer<ChatSession> add = targets::add;
        for (Long user : users) {
            List<ChatSession> userSessions = sessions.sessionsOf(user);
            // Most members of a large group are offline: List.of()'s forEach would make an iterator for each of them.
            if (!userSessions.isEmpty()) {
                userSessions.forEach(add);
            }
        }
        return targets;
    }

    /**
     * Each recipient once. message-service lists a group's members in ascending order, which is checked here without
     * a copy (a set of 1,000 ids per message was a tenth of what the gateway allocated in a 1,000-member fan-out); a
     * list in any other order, such as a private conversation's two participants, is de-duplicated into a set.
     */
    static Collection<Long> distinct(List<Long> ids) {
        for (int i = 1; i < ids.size(); i++) {
            if (ids.get(i - 1) >= ids.get(i)) {
                return new LinkedHashSet<>(ids);
            }
        }
        return ids;
    }
}
