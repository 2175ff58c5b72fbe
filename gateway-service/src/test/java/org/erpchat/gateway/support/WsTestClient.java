package org.erpchat.gateway.support;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.jetty.websocket.core.OpCode;
import org.erpchat.testclient.ClientSocket;
import org.erpchat.testclient.HandshakeRefused;
import org.erpchat.testclient.WebSocketConnector;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client of the gateway's JSON protocol for tests, on the project's one WebSocket client ({@code test-client}). It
 * keeps every frame it receives and the close code. {@link #pause()} stops reading from the socket, as a slow or
 * frozen client would.
 */
public final class WsTestClient implements AutoCloseable {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final java.util.Set<String> MESSAGE_EVENTS =
            java.util.Set.of("private_message", "group_message", "message_sent");
    // One for the whole test JVM: its few threads serve every test's connections.
    private static final WebSocketConnector CONNECTOR = WebSocketConnector.start("ws-test-client");

    /** A received frame. */
    public record Frame(String event, JsonNode data, String raw) {}

    private final List<Frame> frames = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final CompletableFuture<String> closeReason = new CompletableFuture<>();
    private final BlockingQueue<String> pongs = new LinkedBlockingQueue<>();
    private ClientSocket socket;

    private WsTestClient() {}

    /** Connects; fails with {@link HandshakeRefused} (the HTTP status) when the server refuses the upgrade. */
    public static WsTestClient connect(URI uri, Map<String, String> headers) {
        return connect(CONNECTOR, uri, headers, false);
    }

    public static WsTestClient connect(URI uri) {
        return connect(uri, Map.of());
    }

    /** Connects offering permessage-deflate, as every browser does. */
    public static WsTestClient connectOfferingDeflate(URI uri) {
        return connect(CONNECTOR, uri, Map.of(), true);
    }

    private static WsTestClient connect(
            WebSocketConnector connector, URI uri, Map<String, String> headers, boolean offerDeflate) {
        WsTestClient client = new WsTestClient();
        try {
            client.socket = connector
                    .connect(uri, headers, offerDeflate, client.listener())
                    .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS)
                    .join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof HandshakeRefused refused) {
                throw refused;
            }
            throw e;
        }
        return client;
    }

    public void send(String event, Object data) {
        sendRaw(JSON.writeValueAsString(Map.of("event", event, "data", data)));
    }

    public void sendRaw(String text) {
        socket.sendText(text).join();
    }

    /** Sends one whole text frame of these bytes exactly, whether or not they are UTF-8. */
    public void sendTextBytes(byte[] payload) {
        socket.sendFrame(OpCode.TEXT, true, payload).join();
    }

    /** Sends one text message split into these fragments (a first frame, then continuation frames). */
    public void sendFragments(String... fragments) {
        synchronized (this) {
            for (int i = 0; i < fragments.length; i++) {
                socket.sendFrame(
                                i == 0 ? OpCode.TEXT : OpCode.CONTINUATION,
                                i == fragments.length - 1,
                                fragments[i].getBytes(StandardCharsets.UTF_8))
                        .join();
            }
        }
    }

    /** Sends a WebSocket ping; the payload of each pong received is kept ({@link #awaitPong}). */
    public void ping(String payload) {
        socket.ping(payload.getBytes(StandardCharsets.UTF_8)).join();
    }

    public String awaitPong() {
        try {
            return pongs.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public void sendBinary(byte[] bytes) {
        socket.sendFrame(OpCode.BINARY, true, bytes).join();
    }

    /** What the server agreed to in {@code Sec-WebSocket-Extensions}, empty when nothing. */
    public String extensions() {
        return socket.extensions();
    }

    public List<Frame> frames() {
        return List.copyOf(frames);
    }

    public List<Frame> frames(String event) {
        return frames.stream().filter(frame -> frame.event().equals(event)).toList();
    }

    public Frame awaitFrame(String event) {
        return awaitFrame(event, data -> true);
    }

    public Frame awaitFrame(String event, Predicate<JsonNode> filter) {
        return awaitFrames(event, filter, 1).get(0);
    }

    public List<Frame> awaitFrames(String event, Predicate<JsonNode> filter, int count) {
        return awaitFrames(event, filter, count, WAIT);
    }

    public List<Frame> awaitFrames(String event, Predicate<JsonNode> filter, int count, Duration atMost) {
        await().atMost(atMost).until(() -> matching(event, filter).size() >= count);
        return matching(event, filter);
    }

    /** Messages received so far ({@code private_message}, {@code group_message} and {@code message_sent}), in order. */
    public List<JsonNode> messages() {
        List<JsonNode> messages = new ArrayList<>();
        for (Frame frame : frames) {
            if (MESSAGE_EVENTS.contains(frame.event())) {
                messages.add(frame.data());
            }
        }
        return messages;
    }

    /** Messages of one conversation, in the order received. */
    public List<JsonNode> messagesIn(long conversationId) {
        return messages().stream()
                .filter(message -> message.path("conversation_id").asLong() == conversationId)
                .toList();
    }

    /** What a client would send in {@code resume}: the highest seq held per conversation. */
    public Map<String, Long> positions() {
        Map<String, Long> positions = new java.util.TreeMap<>();
        for (JsonNode message : messages()) {
            positions.merge(
                    message.path("conversation_id").asString(),
                    message.path("seq").asLong(),
                    Math::max);
        }
        return positions;
    }

    public int awaitClose() {
        return closeCode.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    public String closeReason() {
        return closeReason.getNow(null);
    }

    public boolean isClosed() {
        return closeCode.isDone();
    }

    /** Stops reading: frames pile up in the server's queue and in TCP buffers, and pings go unanswered. */
    public void pause() {
        socket.pause();
    }

    /** Reads again after {@link #pause()}: what piled up arrives, then whatever follows. */
    public void unpause() {
        socket.unpause();
    }

    @Override
    public void close() {
        if (socket != null && socket.isOpen()) {
            try {
                socket.close(1000, "bye").get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                socket.abort();
            }
        }
    }

    /** Drops the TCP connection without a close handshake, as a lost network would. */
    public void abort() {
        socket.abort();
    }

    private List<Frame> matching(String event, Predicate<JsonNode> filter) {
        List<Frame> result = new ArrayList<>();
        for (Frame frame : frames) {
            if (frame.event().equals(event) && filter.test(frame.data())) {
                result.add(frame);
            }
        }
        return result;
    }

    private ClientSocket.Listener listener() {
        return new ClientSocket.Listener() {
            @Override
            public void onText(String text) {
                JsonNode node = JSON.readTree(text);
                frames.add(new Frame(node.path("event").asString(), node.path("data"), text));
            }

            @Override
            public void onPong(byte[] payload) {
                pongs.add(new String(payload, StandardCharsets.UTF_8));
            }

            @Override
            public void onClose(int code, String reason) {
                closeReason.complete(reason);
                closeCode.complete(code);
            }
        };
    }
}
