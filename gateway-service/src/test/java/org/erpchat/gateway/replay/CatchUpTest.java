package org.erpchat.gateway.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.erpchat.gateway.backend.BatchCallThreads;
import org.erpchat.gateway.backend.MessageServiceClient;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.metrics.GatewayMetrics;
import org.erpchat.gateway.protocol.TextFrame;
import org.erpchat.gateway.session.ChatSession;
import org.erpchat.gateway.session.OutboundListener;
import org.erpchat.gateway.session.OutboundQueue;
import org.erpchat.gateway.session.SessionConnection;
import org.erpchat.gateway.session.SessionRegistry;
import org.erpchat.gateway.support.BatchCalls;
import org.erpchat.gateway.support.JsonBackend;
import org.erpchat.gateway.support.WsTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.socket.CloseStatus;
import tools.jackson.databind.JsonNode;

/**
 * A replay feeds a session at its client's pace in bytes as well as in frames: with the default queue (512 frames,
 * 1 MB), messages of the longest kind fill the bytes long before the frames.
 */
class CatchUpTest {

    /** 4,000 code points: 2,000 emoji (4 bytes in UTF-8) and 2,000 control characters (6 bytes escaped in JSON). */
    private static final String LONGEST_JSON = "\\ud83d\\ude00\\u0001".repeat(2000);

    private static final int MESSAGES = 60;

    private final HeldSocket socket = new HeldSocket();
    private JsonBackend messageService;
    private CatchUp catchUp;

    @AfterEach
    void stop() {
        if (catchUp != null) {
            catchUp.destroy();
        }
        if (messageService != null) {
            messageService.close();
        }
    }

    @Test
    void aReplayWaitsForTheQueuesBytesToDrainBeforeItsNextChunkAndLosesNothing() {
        // Some 1.2 MB in one page: more than the queue holds in bytes, an eighth of it in frames.
        messageService = JsonBackend.start().answer("/api/sync/batch", pageOfLongMessages());
        GatewayProperties properties = messageService.properties();
        catchUp = new CatchUp(
                new MessageServiceClient(properties),
                new BatchCallThreads(),
                new GatewayMetrics(new SimpleMeterRegistry(), new SessionRegistry(properties)),
                properties);
        ChatSession session = new ChatSession("s-1", socket, properties, OutboundListener.NONE);
        session.authenticate(BatchCalls.credentials(7, "resuming", 3600));
        session.stream().resume(Map.of(1L, 0L));

        // The client reads nothing yet: its first write stays in progress.
        catchUp.start(session);

        await().atMost(Duration.ofSeconds(30)).until(() -> session.isClosing() || replayWaitsForRoom());
        assertThat(session.isClosing()).as("closed as too slow").isFalse();
        assertThat(socket.closes).isEmpty();
        // Waiting for bytes: a chunk's worth of frames is queued, far fewer than a wait for frames alone would allow.
        assertThat(session.outbound().size()).isBetween(1, 128);

        // The client reads: every message once, in order, then the resume's result.
        socket.completeAll();
        await().atMost(Duration.ofSeconds(30)).until(() -> socket.wrote("resume_result") || session.isClosing());
        assertThat(socket.closes).isEmpty();
        List<JsonNode> frames =
                socket.frames.stream().map(WsTestClient.JSON::readTree).toList();
        assertThat(frames)
                .filteredOn(frame -> frame.path("event").asString().equals("private_message"))
                .extracting(frame -> frame.path("data").path("seq").asLong())
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, MESSAGES).boxed().toList());
        assertThat(frames.get(frames.size() - 1).path("data").path("complete").asBoolean())
                .isTrue();
    }

    private static String pageOfLongMessages() {
        String messages = String.join(
                ",",
                IntStream.rangeClosed(1, MESSAGES)
                        .mapToObj(seq -> "{\"id\":" + seq + ",\"conversation_id\":1,\"conversation_type\":\"private\","
                                + "\"seq\":" + seq + ",\"sender_id\":8,\"type\":\"text\",\"content\":\""
                                + LONGEST_JSON + "\"}")
                        .toList());
        return "{\"results\":[{\"user_id\":7,\"messages\":[" + messages + "],\"positions\":{\"1\":" + MESSAGES
                + "},\"has_more\":false}]}";
    }

    /** A replay thread is waiting for room in a session's queue (not just passing through the check). */
    private static boolean replayWaitsForRoom() {
        return Thread.getAllStackTraces().entrySet().stream()
                .anyMatch(thread -> thread.getKey().getName().startsWith("gateway-replay-")
                        && thread.getKey().getState() == Thread.State.TIMED_WAITING
                        && Arrays.stream(thread.getValue())
                                .anyMatch(frame -> frame.getClassName().equals(OutboundQueue.class.getName())
                                        && frame.getMethodName().equals("awaitAtMost")));
    }

    /** A socket whose writes stay in progress until {@link #completeAll()}; from then on they complete at once. */
    private static final class HeldSocket implements SessionConnection {
        final List<String> frames = new CopyOnWriteArrayList<>();
        final List<Integer> closes = new CopyOnWriteArrayList<>();
        private final List<Consumer<Throwable>> pending = new ArrayList<>();
        private boolean reading;

        @Override
        public void send(TextFrame frame, boolean more, Consumer<Throwable> done) {
            frames.add(frame.text());
            synchronized (this) {
                if (!reading) {
                    pending.add(done);
                    return;
                }
            }
            done.accept(null);
        }

        void completeAll() {
            List<Consumer<Throwable>> now;
            synchronized (this) {
                reading = true;
                now = new ArrayList<>(pending);
                pending.clear();
            }
            // Outside the lock: a completion starts the next write.
            now.forEach(done -> done.accept(null));
        }

        boolean wrote(String event) {
            return frames.stream().anyMatch(frame -> frame.startsWith("{\"event\":\"" + event + "\""));
        }

        @Override
        public void ping() {}

        @Override
        public void close(CloseStatus status) {
            closes.add(status.getCode());
        }
    }
}
