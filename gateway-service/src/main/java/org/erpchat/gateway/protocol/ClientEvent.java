package org.erpchat.gateway.protocol;

import java.util.List;
import java.util.Map;

/** A frame a client sent, parsed and checked against the protocol (docs/protocol.md, "Client to server"). */
public sealed interface ClientEvent {

    /** The event name the client used, for an {@code error} that answers the frame. */
    String eventName();

    /**
     * Authenticates a connection opened without a token, or replaces the token of an open one before it expires.
     * On the first {@code auth}, {@code resume} declares that the client will send {@code resume} (live messages are
     * held until it does) and {@code presenceBatch} that it understands {@code presence_batch}.
     */
    record Auth(String token, boolean resume, boolean presenceBatch) implements ClientEvent {
        @Override
        public String eventName() {
            return "auth";
        }
    }

    /** {@code send_private_message}. {@code clientMsgId} is the client's own or, for clients without one, generated. */
    record SendPrivate(long receiverId, String content, String type, String fileId, String clientMsgId)
            implements ClientEvent {
        @Override
        public String eventName() {
            return "send_private_message";
        }
    }

    /** {@code send_group_message}. */
    record SendGroup(long groupId, String content, String type, String fileId, String clientMsgId)
            implements ClientEvent {
        @Override
        public String eventName() {
            return "send_group_message";
        }
    }

    /**
     * {@code typing}: the conversation is named by {@code conversationId}, else {@code groupId}, else
     * {@code receiverId} (a private one, as the seed's clients know it). {@code event} is the name the client used
     * ({@code typing}, {@code user_typing} or {@code stop_typing}), for the {@code error} that may answer it.
     */
    record Typing(Long conversationId, Long receiverId, Long groupId, boolean typing, String event)
            implements ClientEvent {
        @Override
        public String eventName() {
            return event;
        }
    }

    /** {@code mark_read}: everything up to {@code seq} in the conversation has been read. */
    record MarkRead(long conversationId, long seq) implements ClientEvent {
        @Override
        public String eventName() {
            return "mark_read";
        }
    }

    /**
     * {@code resume}: the last sequence number the client holds per conversation. {@code more}: further frames of
     * the same resume follow (a client with more conversations than one frame holds); the last frame starts it.
     */
    record Resume(Map<Long, Long> positions, boolean more) implements ClientEvent {
        @Override
        public String eventName() {
            return "resume";
        }
    }

    /** {@code presence_subscribe}: the users whose status this session wants to follow from now on (replaces). */
    record PresenceSubscribe(List<Long> userIds) implements ClientEvent {
        @Override
        public String eventName() {
            return "presence_subscribe";
        }
    }

    /** {@code ping}: an application-level keepalive for clients that cannot see WebSocket pings. */
    record Ping() implements ClientEvent {
        @Override
        public String eventName() {
            return "ping";
        }
    }
}
