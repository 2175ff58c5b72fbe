package org.erpchat.gateway.send;

import java.time.Instant;
import java.util.Locale;
import org.erpchat.events.MessageRejected;
import org.erpchat.events.MessageType;
import org.erpchat.events.RejectReason;
import org.erpchat.events.SendMessageCommand;
import org.erpchat.events.SendOrigin;
import org.erpchat.events.SendRules;
import org.erpchat.gateway.config.GatewayIdentity;
import org.erpchat.gateway.events.EventPublisher;
import org.erpchat.gateway.metrics.GatewayMetrics;
import org.erpchat.gateway.protocol.ClientEvent;
import org.erpchat.gateway.protocol.ServerEvents;
import org.erpchat.gateway.session.ChatSession;
import org.erpchat.gateway.session.OutboundFrame;
import org.erpchat.gateway.session.SessionRegistry;
import org.springframework.stereotype.Component;

/**
 * Client sends become {@link SendMessageCommand}s for message-service, carrying this session as their origin; the
 * answer comes back over Kafka: a {@code MessageCreated} (acknowledged as {@code message_sent} by the message router)
 * or a {@link MessageRejected}, turned here into {@code message_error} for the session that sent it. The sender is
 * always the session's authenticated user, never anything in the frame.
 */
@Component
public class SendRelay {

    private final EventPublisher publisher;
    private final SessionRegistry sessions;
    private final GatewayMetrics metrics;
    private final String gatewayId;

    public SendRelay(
            EventPublisher publisher, SessionRegistry sessions, GatewayIdentity identity, GatewayMetrics metrics) {
        this.publisher = publisher;
        this.sessions = sessions;
        this.metrics = metrics;
        this.gatewayId = identity.id();
    }

    public void sendPrivate(ChatSession session, ClientEvent.SendPrivate send) {
        issue(session, send.receiverId(), null, send.type(), send.content(), send.fileId(), send.clientMsgId());
    }

    public void sendGroup(ChatSession session, ClientEvent.SendGroup send) {
        issue(session, null, send.groupId(), send.type(), send.content(), send.fileId(), send.clientMsgId());
    }

    /** message-service refused a send: tell the session that made it, if it is still here. */
    public void rejected(MessageRejected rejection) {
        if (!gatewayId.equals(rejection.origin().gatewayId())) {
            return;
        }
        sessions.find(rejection.origin().sessionId())
                .filter(ChatSession::isAuthenticated)
                .filter(session -> session.userId() == rejection.senderId())
                .ifPresent(session -> {
                    if (rejection.reason() != RejectReason.INTERNAL_ERROR) {
                        // Nothing stored. (After internal_error, an upgraded message-service may still store it.)
                        session.stream().refused(rejection.senderId(), rejection.clientMsgId());
                    }
                    session.send(OutboundFrame.control(ServerEvents.frame(
                            "message_error",
                            new ServerEvents.MessageError(
                                    rejection.clientMsgId(),
                                    rejection.reason().name().toLowerCase(Locale.ROOT),
                                    rejection.detail(),
                                    rejection.retryAfterMillis(),
                                    rejection.receiverId(),
                                    rejection.groupId()))));
                    metrics.delivered("message_error");
                });
    }

    private void issue(
            ChatSession session,
            Long receiverId,
            Long groupId,
            String type,
            String content,
            String fileId,
            String clientMsgId) {
        // Text PostgreSQL cannot store, or that is not valid Unicode, is refused here with the code and message
        // message-service gives on every path; it never goes to Kafka.
        String unstorable = SendRules.unstorableReason("content", content);
        if (unstorable == null) {
            unstorable = SendRules.unstorableReason("file_id", fileId);
        }
        if (unstorable != null) {
            answer(session, clientMsgId, "invalid_message", unstorable, receiverId, groupId);
            return;
        }
        SendMessageCommand command = new SendMessageCommand(
                session.userId(),
                receiverId,
                groupId,
                MessageType.valueOf(type.toUpperCase(Locale.ROOT)),
                content,
                fileId,
                clientMsgId,
                new SendOrigin(gatewayId, session.id()),
                Instant.now());
        // Before it can be stored: a replay that reaches it must deliver it to this session as its acknowledgement.
        session.stream().sending(session.userId(), clientMsgId);
        // Only queued here: the socket thread never waits for Kafka. Kafka taking the command leads to message_sent
        // (or message_error) from message-service; Kafka not taking it within chat.gateway.send.timeout, or a full
        // queue, is answered here.
        publisher.publish(command).whenComplete((result, failure) -> {
            if (failure != null) {
                answer(
                        session,
                        clientMsgId,
                        "unavailable",
                        "the message could not be passed on; retry with the same client_msg_id",
                        receiverId,
                        groupId);
            }
        });
    }

    private void answer(
            ChatSession session, String clientMsgId, String code, String message, Long receiverId, Long groupId) {
        session.send(OutboundFrame.control(ServerEvents.frame(
                "message_error",
                new ServerEvents.MessageError(clientMsgId, code, message, null, receiverId, groupId))));
        metrics.delivered("message_error");
    }
}
