package org.erpchat.testclient;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.exception.BadPayloadException;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

/**
 * A real Jetty WebSocket server for the client's tests, on {@code /echo}: it sends every text frame back as it came
 * (fin or not), answers "ping-me" by pinging the client (with a payload; "ping-me-empty": without), "send N" by sending N numbered messages, and keeps the pongs
 * it receives. Any other path is refused with 404. Text that is not UTF-8 closes the connection with 1007, as the gateway does.
 */
final class EchoServer implements AutoCloseable {

    final List<String> pongs = new CopyOnWriteArrayList<>();
    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);

    EchoServer() throws Exception {
        server.addConnector(connector);
        WebSocketUpgradeHandler upgrades = new WebSocketUpgradeHandler();
        upgrades.addMapping("/echo", (request, response, callback) -> new Echo());
        server.setHandler(upgrades);
        server.start();
    }

    URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + connector.getLocalPort() + path);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    private final class Echo implements FrameHandler {

        private CoreSession session;

        @Override
        public void onOpen(CoreSession coreSession, Callback callback) {
            session = coreSession;
            callback.succeeded();
            session.demand();
        }

        @Override
        public void onFrame(Frame frame, Callback callback) {
            byte[] payload = BufferUtil.toArray(frame.getPayload());
            if (frame.getOpCode() == OpCode.CLOSE) {
                callback.succeeded(); // Jetty answers it
                return;
            }
            String text;
            try {
                text = StandardCharsets.UTF_8
                        .newDecoder()
                        .decode(ByteBuffer.wrap(payload))
                        .toString();
            } catch (CharacterCodingException e) {
                // As the gateway does: Jetty closes the connection with 1007.
                callback.failed(new BadPayloadException("not UTF-8"));
                return;
            }
            switch (frame.getOpCode()) {
                case OpCode.TEXT, OpCode.CONTINUATION -> {
                    if (text.equals("ping-me-empty")) {
                        session.sendFrame(new Frame(OpCode.PING), Callback.NOOP, false);
                    } else if (text.equals("ping-me")) {
                        session.sendFrame(new Frame(OpCode.PING, "are you there"), Callback.NOOP, false);
                    } else if (text.startsWith("send ")) {
                        for (int i = 1; i <= Integer.parseInt(text.substring(5)); i++) {
                            session.sendFrame(new Frame(OpCode.TEXT, "message " + i), Callback.NOOP, false);
                        }
                    } else {
                        session.sendFrame(
                                new Frame(frame.getOpCode(), frame.isFin(), ByteBuffer.wrap(payload)),
                                Callback.NOOP,
                                false);
                    }
                }
                case OpCode.PING ->
                    session.sendFrame(new Frame(OpCode.PONG, ByteBuffer.wrap(payload)), Callback.NOOP, false);
                case OpCode.PONG -> pongs.add(text);
                default -> {
                    // BINARY: not used by these tests.
                }
            }
            callback.succeeded();
            session.demand();
        }

        @Override
        public void onError(Throwable cause, Callback callback) {
            callback.succeeded();
        }

        @Override
        public void onClosed(CloseStatus closeStatus, Callback callback) {
            callback.succeeded();
        }
    }
}
