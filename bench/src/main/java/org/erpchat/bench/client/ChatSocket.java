package org.erpchat.bench.client;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.erpchat.testclient.ClientSocket;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One user's WebSocket session, speaking the protocol of docs/protocol.md as a careful client does: it keeps, per
 * conversation, the highest seq it holds, resumes from there after a reconnect, and counts every message delivered
 * twice or skipped. Jetty calls it on one thread per connection at a time.
 */
public final class ChatSocket {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final long userId;
    private final DeliveryStats stats;
    private final Map<Long, Long> positions = new HashMap<>();
    private volatile ClientSocket session;
    private volatile Connection current = new Connection();
    private long replayed;

    public ChatSocket(long userId, DeliveryStats stats) {
        this.userId = userId;
        this.stats = stats;
    }

    public long userId() {
        return userId;
    }

    /** Completes with the {@code connected} frame of the latest connection attempt. */
    public CompletableFuture<Void> connected() {
        return current.connected;
    }

    /** Completes with the number of messages replayed, when {@code resume_result} says the replay is complete. */
    public CompletableFuture<Long> resumed() {
        return current.resumed;
    }

    /**
     * The listener for a new connection attempt. Each attempt has its own, so the late close of a connection this
     * client already gave up on cannot fail the next one.
     */
    public ClientSocket.Listener newConnection() {
        ClientSocket previous = session;
        if (previous != null && previous.isOpen()) {
            previous.abort(); // an attempt given up on that opened late: never two connections at once
        }
        current = new Connection();
        return current;
    }

    public boolean isOpen() {
        ClientSocket current = session;
        return current != null && current.isOpen();
    }

    /** Sends {@code resume} with every position this client holds. */
    public void resume() {
        ObjectNode frame = JSON.createObjectNode().put("event", "resume");
        ObjectNode positionsNode = frame.putObject("data").putObject("positions");
        synchronized (this) {
            replayed = 0;
            positions.forEach((conversation, seq) -> positionsNode.put(Long.toString(conversation), seq));
        }
        send(frame);
    }

    public void sendPrivate(long receiverId, String content, String clientMsgId) {
        sendMessage("send_private_message", "receiver_id", receiverId, content, clientMsgId);
    }

    public void sendGroup(long groupId, String content, String clientMsgId) {
        sendMessage("send_group_message", "group_id", groupId, content, clientMsgId);
    }

    private void sendMessage(String event, String targetField, long targetId, String content, String clientMsgId) {
        ObjectNode frame = JSON.createObjectNode().put("event", event);
        frame.putObject("data")
                .put(targetField, targetId)
                .put("content", content)
                .put("type", "text")
                .put("client_msg_id", clientMsgId);
        send(frame);
    }

    /** Cuts the connection without a close handshake, as a crashed network or a killed server does. */
    public void drop() {
        ClientSocket current = session;
        // Forgotten at once: Jetty closes the connection asynchronously, and a reconnect that follows straight away
        // must see this client as closed (isOpen) rather than skip it because the old session has not closed yet.
        session = null;
        if (current != null) {
            current.abort();
        }
    }

    public void close() {
        ClientSocket current = session;
        if (current != null && current.isOpen()) {
            current.close(1000, "bench done");
        }
    }

    /** Every position this client holds, conversation to seq. */
    public synchronized Map<Long, Long> positions() {
        return Map.copyOf(positions);
    }

    /**
     * Forgets everything after {@code held}, as a second device of the same user that was away as long would: its next
     * resume asks for the same messages again. Only while disconnected.
     */
    public synchronized void rewindTo(Map<Long, Long> held) {
        if (isOpen()) {
            throw new IllegalStateException("rewind a connected client");
        }
        positions.clear();
        positions.putAll(held);
    }

    /** The highest seq this client holds in the conversation (0 if none). */
    public synchronized long position(long conversationId) {
        return positions.getOrDefault(conversationId, 0L);
    }

    private void send(ObjectNode frame) {
        ClientSocket current = session;
        if (current == null || !current.isOpen()) {
            stats.protocolError("send_on_closed_socket");
            return;
        }
        current.sendText(JSON.writeValueAsString(frame));
    }

    private void onMessage(ServerFrame message, boolean ownAck) {
        long conversation = message.conversationId;
        long seq = message.seq;
        synchronized (this) {
            long last = positions.getOrDefault(conversation, 0L);
            if (seq <= last) {
                stats.duplicate();
                return;
            }
            if (seq > last + 1) {
                stats.gap(seq - last - 1);
            }
            positions.put(conversation, seq);
            replayed++;
        }
        if (ownAck) {
            stats.ack();
            return;
        }
        long intended = MessageContent.intendedEpochMicros(message.content);
        boolean fromOther = message.senderId != userId;
        stats.delivered(intended >= 0 && fromOther ? MessageContent.nowEpochMicros() - intended : -1);
    }

    private void onText(String text, Connection connection) {
        ServerFrame frame;
        try {
            frame = ServerFrame.read(JSON, text);
        } catch (JacksonException e) {
            stats.protocolError("unreadable_server_frame");
            return;
        }
        switch (frame.event) {
            case "connected" -> connection.connected.complete(null);
            case "private_message", "group_message" -> onMessage(frame, false);
            case "message_sent" -> onMessage(frame, true);
            case "resume_result" -> onResumeResult(frame, connection);
            case "message_error" -> stats.messageError(frame.code == null ? "unknown" : frame.code);
            case "error" -> stats.protocolError(frame.code == null ? "unknown" : frame.code);
            default -> {
                // Presence, typing, pong, group updates: not what the benchmark measures.
            }
        }
    }

    private void onResumeResult(ServerFrame data, Connection connection) {
        if (data.complete) {
            long count;
            synchronized (this) {
                count = replayed;
            }
            connection.resumed.complete(count);
        } else {
            connection.resumed.completeExceptionally(
                    new IllegalStateException("resume incomplete: " + (data.reason == null ? "?" : data.reason)));
        }
    }

    /** One connection attempt's listener: the client calls it on one thread at a time. */
    private final class Connection implements ClientSocket.Listener {

        private final CompletableFuture<Void> connected = new CompletableFuture<>();
        private final CompletableFuture<Long> resumed = new CompletableFuture<>();

        @Override
        public void onOpen(ClientSocket opened) {
            if (current != this) {
                opened.abort(); // an attempt the client already gave up on came through late
                return;
            }
            session = opened;
        }

        @Override
        public void onText(String text) {
            if (current == this) { // what a connection given up on still delivers is not this client's stream
                ChatSocket.this.onText(text, this);
            }
        }

        @Override
        public void onClose(int statusCode, String reason) {
            stats.closed(statusCode);
            IllegalStateException cause = new IllegalStateException("closed " + statusCode + " " + reason);
            connected.completeExceptionally(cause);
            resumed.completeExceptionally(cause);
        }
    }
}
