package org.erpchat.gateway.typing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.erpchat.events.ConversationKind;
import org.erpchat.events.MessageCreated;
import org.erpchat.events.TypingIndicated;
import org.erpchat.events.UserTyping;
import org.erpchat.gateway.backend.BackendException;
import org.erpchat.gateway.events.EventPublisher;
import org.erpchat.gateway.metrics.GatewayMetrics;
import org.erpchat.gateway.protocol.ClientEvent;
import org.erpchat.gateway.protocol.ErrorCode;
import org.erpchat.gateway.protocol.ServerEvents;
import org.erpchat.gateway.session.ChatSession;
import org.erpchat.gateway.session.OutboundFrame;
import org.erpchat.gateway.session.SessionRegistry;
import org.erpchat.gateway.typing.ConversationDirectory.Participants;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Typing, both ways. A client's {@code typing} is checked against the conversation's participants (nobody can make
 * "X is typing" appear in a conversation X is not in) and sent to presence-service, which keeps the 10-second state;
 * presence-service's {@code UserTyping} becomes {@code user_typing} for the other participants. Typing ends on its own
 * when the user sends a message or their session closes.
 */
@Component
public class TypingRelay {

    private final ConversationDirectory conversations;
    private final EventPublisher publisher;
    private final SessionRegistry sessions;
    private final AsyncTaskExecutor executor;
    private final GatewayMetrics metrics;
    private final TypingSessions typingSessions = new TypingSessions();
    /** The order frames arrived in (on the socket's thread); they are handled on the pool, perhaps out of it. */
    private final AtomicLong arrivals = new AtomicLong();

    public TypingRelay(
            ConversationDirectory conversations,
            EventPublisher publisher,
            SessionRegistry sessions,
            AsyncTaskExecutor applicationTaskExecutor,
            GatewayMetrics metrics) {
        this.conversations = conversations;
        this.publisher = publisher;
        this.sessions = sessions;
        this.executor = applicationTaskExecutor;
        this.metrics = metrics;
    }

    public void typing(ChatSession session, ClientEvent.Typing typing) {
        long arrival = arrivals.incrementAndGet();
        // Stamped now: the frame may wait for the pool, and presence-service judges a start by when it was made.
        Instant arrivedAt = Instant.now();
        long arrivedAtNanos = System.nanoTime();
        try {
            executor.execute(() -> relay(session, typing, arrival, arrivedAt, arrivedAtNanos));
        } catch (RejectedExecutionException e) {
            // The pool's queue is full (message-service answering slowly for everyone): answered, not thrown.
            refuse(session, typing, ErrorCode.UNAVAILABLE, "typing not sent");
        }
    }

    private void relay(
            ChatSession session, ClientEvent.Typing typing, long arrival, Instant arrivedAt, long arrivedAtNanos) {
        Optional<Participants> conversation;
        try {
            conversation = resolve(session, typing);
        } catch (BackendException e) {
            refuse(session, typing, ErrorCode.UNAVAILABLE, "typing not sent");
            return;
        }
        if (conversation.isEmpty()) {
            refuse(session, typing, ErrorCode.UNKNOWN_CONVERSATION, "no such conversation, or you are not in it");
            return;
        }
        Participants participants = conversation.get();
        typingSessions.apply(
                session.id(),
                session::isClosing,
                participants,
                typing.typing(),
                arrival,
                arrivedAtNanos,
                () -> publish(session.userId(), participants, typing.typing(), arrivedAt));
    }

    /** The user sent a message: their typing in that conversation is over. */
    public void messageSent(ChatSession session, MessageCreated event) {
        typingSessions.stop(
                session.id(),
                event.conversationId(),
                () -> publish(
                        session.userId(),
                        new Participants(event.conversationId(), event.conversationKind(), event.recipientIds(), 0),
                        false,
                        Instant.now()));
    }

    /**
     * Called once the session is closing: nothing it sends from here on changes its typing. The stop goes to the
     * participants as they are now, as far as this gateway learned (a member removed since the typing started is left
     * out).
     */
    public void sessionClosed(ChatSession session) {
        typingSessions.close(session.id(), conversation -> {
            if (session.isAuthenticated()) {
                publish(session.userId(), conversations.latest(conversation), false, Instant.now());
            }
        });
    }

    /**
     * presence-service says a user started or stopped typing: tell the other participants connected here. The
     * recipients are the participants as the typer's gateway knew them when the typing started (presence-service's
     * stop at expiry reuses that list), so in a group they are checked against the newest membership this gateway has
     * seen: a member removed since gets nothing more of it. (A member added a moment ago whose addition this gateway
     * has not read yet misses an indicator that ends by itself.) A group's frame is the same for every member, built
     * once.
     */
    public void deliver(UserTyping event) {
        if (event.conversationKind() != ConversationKind.GROUP) {
            for (Long recipient : event.recipientIds()) {
                deliver(event, recipient, null);
            }
            return;
        }
        // Most of a large group's members are on other gateways: the membership and the frame are looked at and made
        // only for a recipient connected here.
        boolean looked = false;
        Participants members = null;
        OutboundFrame frame = null;
        for (Long recipient : event.recipientIds()) {
            if (recipient == event.userId() || !sessions.hasUser(recipient)) {
                continue;
            }
            if (!looked) {
                members = conversations.lastKnown(event.conversationId()).orElse(null);
                looked = true;
            }
            if (members != null && !members.includes(recipient)) {
                continue;
            }
            if (frame == null) {
                frame = frame(event, null);
            }
            deliver(event, recipient, frame);
        }
    }

    /** To each session of {@code recipient}: {@code shared} if given, else a frame naming the recipient. */
    private void deliver(UserTyping event, Long recipient, OutboundFrame shared) {
        if (recipient == event.userId()) {
            return;
        }
        List<ChatSession> targets = sessions.sessionsOf(recipient);
        if (targets.isEmpty()) {
            return;
        }
        OutboundFrame frame = shared != null ? shared : frame(event, recipient);
        for (ChatSession target : targets) {
            target.send(frame);
            metrics.delivered("user_typing");
        }
    }

    /** {@code user_typing}; a private conversation's names its recipient ({@code receiver_id}), a group's does not. */
    private static OutboundFrame frame(UserTyping event, Long recipient) {
        boolean group = event.conversationKind() == ConversationKind.GROUP;
        return OutboundFrame.disposable(ServerEvents.frame(
                "user_typing",
                new ServerEvents.UserTyping(
                        event.conversationId(),
                        group ? "group" : "private",
                        group ? null : recipient,
                        group ? event.conversationId() : null,
                        event.userId(),
                        event.typing())));
    }

    private Optional<Participants> resolve(ChatSession session, ClientEvent.Typing typing) {
        if (typing.conversationId() != null) {
            return conversations.conversation(session.credentials(), typing.conversationId());
        }
        if (typing.groupId() != null) {
            return conversations
                    .conversation(session.credentials(), typing.groupId())
                    .filter(found -> found.kind() == ConversationKind.GROUP);
        }
        return conversations.privateConversation(session.credentials(), typing.receiverId());
    }

    /** An {@code error} naming the frame's event, as every error about a client's frame does. */
    private static void refuse(ChatSession session, ClientEvent.Typing typing, ErrorCode code, String message) {
        session.send(OutboundFrame.control(ServerEvents.error(code, message, typing.event())));
    }

    private void publish(long userId, Participants conversation, boolean typing, Instant at) {
        List<Long> others = conversation.memberIds().stream()
                .filter(member -> member != userId)
                .toList();
        publisher.publish(
                new TypingIndicated(conversation.conversationId(), conversation.kind(), userId, others, typing, at));
    }
}
