package org.erpchat.gateway.support;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real WebSocket client for tests (the JDK's), speaking the gateway's JSON protocol. It keeps every frame it
 * receives and the close code. {@link #pause()} stops reading from the socket, as a slow or frozen client would.
 */
public final class WsTestClient implements AutoCloseable {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final java.util.Set<String> MESSAGE_EVENTS =
            java.util.Set.of("private_message", "group_message", "message_sent");

    /** A received frame. */
    public record Frame(String event, JsonNode data, String raw) {}

    private final List<Frame> frames = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final CompletableFuture<String> closeReason = new CompletableFuture<>();
    private final AtomicBoolean paused = new AtomicBoolean();
    private final StringBuilder partial = new StringBuilder();
    private final BlockingQueue<String> pongs = new LinkedBlockingQueue<>();
    private volatile WebSocket socket;

    private WsTestClient() {}

    /** Connects; fails with the handshake's HTTP status when the server refuses. */
    public static WsTestClient connect(URI uri, Map<String, String> headers) {
        WsTestClient client = new WsTestClient();
        WebSocket.Builder builder =
                HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT);
        headers.forEach(builder::header);
        try {
            client.socket = builder.buildAsync(uri, client.listener()).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException handshake) {
                throw new HandshakeRefused(handshake.getResponse().statusCode());
            }
            throw e;
        }
        return client;
    }

    public static WsTestClient connect(URI uri) {
        return connect(uri, Map.of());
    }

    /** The server refused the upgrade with this HTTP status. */
    public static final class HandshakeRefused extends RuntimeException {
        private final int status;

        HandshakeRefused(int status) {
            super("handshake refused with HTTP " + status);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public void send(String event, Object data) {
        sendRaw(JSON.writeValueAsString(Map.of("event", event, "data", data)));
    }

    public void sendRaw(String text) {
        synchronized (this) {
            socket.sendText(text, true).join();
        }
    }

    /** Sends one text message split into these fragments (a first frame, then continuation frames). */
    public void sendFragments(String... fragments) {
        synchronized (this) {
            for (int i = 0; i < fragments.length; i++) {
                socket.sendText(fragments[i], i == fragments.length - 1).join();
            }
        }
    }

    /** Sends a WebSocket ping; the payload of each pong received is kept ({@link #awaitPong}). */
    public void ping(String payload) {
        synchronized (this) {
            socket.sendPing(ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8)))
                    .join();
        }
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
        synchronized (this) {
            socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
        }
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

    /** Stops reading: frames pile up in the server's queue and in TCP buffers. */
    public void pause() {
        paused.set(true);
    }

    /** Reads again after {@link #pause()}: what piled up arrives, then whatever follows. */
    public void unpause() {
        if (paused.compareAndSet(true, false)) {
            socket.request(1);
        }
    }

    @Override
    public void close() {
        if (socket != null && !socket.isOutputClosed()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
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

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            @Override
            public void onOpen(WebSocket webSocket) {
                webSocket.request(1);
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    String text = partial.toString();
                    partial.setLength(0);
                    JsonNode node = JSON.readTree(text);
                    Frame frame = new Frame(node.path("event").asString(), node.path("data"), text);
                    frames.add(frame);
                }
                if (!paused.get()) {
                    webSocket.request(1);
                }
                return null;
            }

            @Override
            public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
                pongs.add(StandardCharsets.UTF_8.decode(message).toString());
                if (!paused.get()) {
                    webSocket.request(1);
                }
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closeReason.complete(reason);
                closeCode.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closeReason.complete(error.toString());
                closeCode.complete(1006);
            }
        };
    }
}
