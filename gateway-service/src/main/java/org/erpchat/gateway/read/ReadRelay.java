package org.erpchat.gateway.read;

import java.util.concurrent.RejectedExecutionException;
import org.erpchat.events.ConversationRead;
import org.erpchat.gateway.backend.BackendException;
import org.erpchat.gateway.backend.MessageServiceClient;
import org.erpchat.gateway.metrics.GatewayMetrics;
import org.erpchat.gateway.protocol.ClientEvent;
import org.erpchat.gateway.protocol.ErrorCode;
import org.erpchat.gateway.protocol.ServerEvents;
import org.erpchat.gateway.session.ChatSession;
import org.erpchat.gateway.session.OutboundFrame;
import org.erpchat.gateway.session.SessionRegistry;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Read markers. {@code mark_read} moves the user's marker in message-service (with the user's own token); the
 * resulting {@code ConversationRead} comes back over Kafka and becomes {@code conversation_read} for the reader's
 * sessions (unread counts in sync across devices) and, in a private conversation, for the other participant (read
 * receipts). A {@code mark_read} that does not move the marker is answered with the current marker, to the
 * requesting session only. Either way it goes through the session's stream ({@link ChatSession#sendRead}), so it
 * never reaches a session before the message it names.
 */
@Component
public class ReadRelay {

    private final MessageServiceClient messageService;
    private final SessionRegistry sessions;
    private final AsyncTaskExecutor executor;
    private final GatewayMetrics metrics;

    public ReadRelay(
            MessageServiceClient messageService,
            SessionRegistry sessions,
            AsyncTaskExecutor applicationTaskExecutor,
            GatewayMetrics metrics) {
        this.messageService = messageService;
        this.sessions = sessions;
        this.executor = applicationTaskExecutor;
        this.metrics = metrics;
    }

    public void markRead(ChatSession session, ClientEvent.MarkRead read) {
        try {
            executor.execute(() -> relay(session, read));
        } catch (RejectedExecutionException e) {
            // The pool's queue is full (message-service answering slowly for everyone): answered, not thrown.
            session.send(OutboundFrame.control(
                    ServerEvents.error(ErrorCode.UNAVAILABLE, "read marker not moved", "mark_read")));
        }
    }

    private void relay(ChatSession session, ClientEvent.MarkRead read) {
        try {
            MessageServiceClient.ReadMarker marker =
                    messageService.markRead(session.credentials().token(), read.conversationId(), read.seq());
            if (Boolean.FALSE.equals(marker.moved())) {
                // Nothing moved, so no ConversationRead will come over Kafka: answer this session alone with the
                // marker as it is. (A moved marker reaches all of the user's sessions through Kafka.)
                session.sendRead(
                        marker.conversationId(),
                        session.userId(),
                        marker.readSeq(),
                        conversationRead(marker.conversationId(), session.userId(), marker.readSeq()));
                metrics.delivered("conversation_read");
            }
        } catch (BackendException e) {
            ErrorCode code = switch (e.kind()) {
                case NOT_FOUND -> ErrorCode.UNKNOWN_CONVERSATION;
                case REJECTED -> ErrorCode.INVALID_PAYLOAD;
                default -> ErrorCode.UNAVAILABLE;
            };
            session.send(OutboundFrame.control(ServerEvents.error(code, e.getMessage(), "mark_read")));
        }
    }

    /** The frame of a marker that moved, for the sessions {@link ConversationRead#notifyUserIds} names. */
    public static OutboundFrame conversationRead(ConversationRead event) {
        return conversationRead(event.conversationId(), event.userId(), event.readSeq());
    }

    private static OutboundFrame conversationRead(long conversationId, long userId, long readSeq) {
        return OutboundFrame.control(ServerEvents.frame(
                "conversation_read", new ServerEvents.ConversationRead(conversationId, userId, readSeq)));
    }
}
