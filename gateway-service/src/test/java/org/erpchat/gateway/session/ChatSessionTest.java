package org.erpchat.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.protocol.CloseCodes;
import org.erpchat.gateway.protocol.PreparedMessage;
import org.erpchat.gateway.protocol.TextFrame;
import org.erpchat.gateway.protocol.WireMessage;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.web.socket.CloseStatus;

/**
 * docs/protocol.md: a failed {@code resume_result}, or the {@code error} to a refused {@code auth}, is sent and then
 * the connection closes. The last frame must not be lost because an earlier frame was still being written when the
 * close was decided.
 */
class ChatSessionTest {

    /** A socket that holds each write until the test completes it, and records writes and closes in one order. */
    private static final class HeldSocket implements SessionConnection {
        final List<String> events = new ArrayList<>();
        final List<Consumer<Throwable>> pending = new ArrayList<>();

        @Override
        public void send(TextFrame frame, boolean more, Consumer<Throwable> done) {
            events.add(frame.text());
            pending.add(done);
        }

        @Override
        public void ping() {}

        @Override
        public void close(CloseStatus status) {
            events.add("close " + status.getCode());
        }

        /** Completes the writes in progress; the next queued frame starts at once (and is held in turn). */
        void complete() {
            finish(null);
        }

        void fail(Throwable failure) {
            finish(failure);
        }

        private void finish(Throwable failure) {
            List<Consumer<Throwable>> now = new ArrayList<>(pending);
            pending.clear();
            now.forEach(done -> done.accept(failure));
        }
    }

    private final HeldSocket socket = new HeldSocket();
    private final RecordedCloses closes = new RecordedCloses();
    private final ChatSession session = new ChatSession(
            "s-1",
            socket,
            new Binder(new MapConfigurationPropertySource(Map.of()))
                    .bindOrCreate("chat.gateway", GatewayProperties.class),
            closes);

    @Test
    void aSessionWhoseHeldAcknowledgementsPassTheCapIsClosed4001() {
        RecordingConnection connection = new RecordingConnection();
        ChatSession holding = new ChatSession(
                "s-3",
                connection,
                new Binder(new MapConfigurationPropertySource(
                                Map.of("chat.gateway.replay.max-buffered-live-events", "16")))
                        .bindOrCreate("chat.gateway", GatewayProperties.class),
                new RecordedCloses());
        holding.stream().expectResume(System.nanoTime() + 60_000_000_000L);

        for (long seq = 1; seq <= 32; seq++) {
            holding.offerLive(new LiveMessage(new PreparedMessage(acknowledged(seq)), true, Instant.now()));
        }
        assertThat(holding.isClosing()).isFalse();
        holding.offerLive(new LiveMessage(new PreparedMessage(acknowledged(33)), true, Instant.now()));

        assertThat(holding.isClosing()).isTrue();
        assertThat(connection.closes()).containsExactly(4001);
    }

    private static WireMessage acknowledged(long seq) {
        return new WireMessage(
                "m-" + seq, 5, "private", seq, 1, 2L, null, "hi", "text", null, "c-" + seq, Instant.now());
    }

    @Test
    void aCloseTheConnectionRefusedIsTriedAgainByTheNextClose() {
        RecordingConnection refusingOnce = new RecordingConnection().refusingCloses(1);
        ChatSession refused = new ChatSession(
                "s-2",
                refusingOnce,
                new Binder(new MapConfigurationPropertySource(Map.of()))
                        .bindOrCreate("chat.gateway", GatewayProperties.class),
                new RecordedCloses());

        assertThatThrownBy(() -> refused.close(CloseCodes.SLOW_CONSUMER))
                .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
        // Without another try the session would stay open and registered, with nothing left to close it.
        refused.close(CloseCodes.SHUTDOWN);

        assertThat(refusingOnce.closes()).containsExactly(4001, CloseCodes.SHUTDOWN.getCode());
    }

    @Test
    void aLastFrameQueuedBehindAWriteInProgressIsWrittenBeforeTheConnectionCloses() {
        session.send(OutboundFrame.control("earlier"));
        session.send(OutboundFrame.control("resume_result"));

        session.closeAfterQueued(CloseCodes.REPLAY_FAILED);

        // Decided and counted now, so the rest of the gateway stops routing to it; nothing is dropped or closed yet.
        assertThat(session.isClosing()).isTrue();
        assertThat(closes.codes()).containsExactly(1013);
        assertThat(socket.events).containsExactly("earlier");

        socket.complete();
        assertThat(socket.events).containsExactly("earlier", "resume_result");

        socket.complete();
        assertThat(socket.events).containsExactly("earlier", "resume_result", "close 1013");
        assertThat(closes.codes()).containsExactly(1013);
    }

    @Test
    void aFrameSentAfterTheCloseWasDecidedIsNotWritten() {
        session.send(OutboundFrame.control("earlier"));
        session.send(OutboundFrame.control("error"));
        session.closeAfterQueued(CloseCodes.INVALID_TOKEN);

        session.send(OutboundFrame.control("group_updated"));
        session.send(OutboundFrame.disposable("user_typing"));
        socket.complete();
        socket.complete();

        assertThat(socket.events).containsExactly("earlier", "error", "close 1008");
        assertThat(session.outbound().size()).isZero();
    }

    @Test
    void anIdleSessionClosesAtOnce() {
        session.closeAfterQueued(CloseCodes.INVALID_TOKEN);

        assertThat(socket.events).containsExactly("close 1008");
        assertThat(closes.codes()).containsExactly(1008);
    }

    @Test
    void aCloseWhileTheLastFramesWaitEndsTheWaitAtOnceAndTheSessionIsCountedOnce() {
        session.send(OutboundFrame.control("earlier"));
        session.send(OutboundFrame.control("resume_result"));
        session.closeAfterQueued(CloseCodes.REPLAY_FAILED);

        // The stuck-write watchdog, for a client that does not read.
        session.close(CloseCodes.SLOW_CONSUMER);
        socket.complete();

        assertThat(socket.events).containsExactly("earlier", "close 4001");
        assertThat(closes.codes()).containsExactly(1013);
        assertThat(session.closeStatus()).isEqualTo(CloseCodes.REPLAY_FAILED);
    }

    @Test
    void aWriteThatFailsWhileTheLastFramesWaitStillClosesTheConnection() {
        session.send(OutboundFrame.control("earlier"));
        session.send(OutboundFrame.control("resume_result"));
        session.closeAfterQueued(CloseCodes.REPLAY_FAILED);

        socket.fail(new IllegalStateException("broken pipe"));

        assertThat(socket.events).containsExactly("earlier", "close " + CloseStatus.SESSION_NOT_RELIABLE.getCode());
        assertThat(closes.codes()).containsExactly(1013);
    }

    @Test
    void aConnectionThatEndsWhileTheLastFramesWaitIsNotClosedAgain() {
        session.send(OutboundFrame.control("earlier"));
        session.send(OutboundFrame.control("resume_result"));
        session.closeAfterQueued(CloseCodes.REPLAY_FAILED);

        session.connectionClosed(new CloseStatus(1006));
        socket.complete();
        session.close(CloseCodes.SHUTDOWN);

        assertThat(socket.events).containsExactly("earlier");
        assertThat(closes.codes()).containsExactly(1013);
    }

    @Test
    void aSessionClosedOutrightIsNotClosedAgainByALaterClose() {
        session.close(CloseCodes.DEAD);
        session.close(CloseCodes.SHUTDOWN);
        session.closeAfterQueued(CloseCodes.REPLAY_FAILED);

        assertThat(socket.events).containsExactly("close 1001");
        assertThat(closes.codes()).containsExactly(1001);
    }
}
