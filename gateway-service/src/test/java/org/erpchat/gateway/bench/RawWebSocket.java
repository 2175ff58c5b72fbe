package org.erpchat.gateway.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A minimal WebSocket client on a plain socket: it can offer permessage-deflate (the JDK client cannot), costs a few
 * hundred bytes, and lets a benchmark hold thousands of connections. It does the handshake, sends masked frames
 * (any bytes, valid or not) and skips whatever the server sends.
 */
public final class RawWebSocket implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String extensions;
    private long pendingPayload;

    private RawWebSocket(Socket socket, String extensions) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.extensions = extensions;
    }

    public static RawWebSocket open(InetAddress localAddress, int port, String pathAndQuery, boolean offerDeflate)
            throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(localAddress, 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        socket.setSoTimeout(30_000);
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String request = "GET " + pathAndQuery + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + (offerDeflate ? "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n" : "")
                + "\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        String response = readHeaders(socket.getInputStream());
        if (!response.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException(
                    "upgrade refused: " + response.lines().findFirst().orElse(""));
        }
        String negotiated = response.lines()
                .filter(line -> line.toLowerCase().startsWith("sec-websocket-extensions:"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim())
                .findFirst()
                .orElse("");
        return new RawWebSocket(socket, negotiated);
    }

    /** What the server agreed to in {@code Sec-WebSocket-Extensions}, empty when nothing. */
    public String extensions() {
        return extensions;
    }

    public void sendText(String text) throws IOException {
        sendFrame(0x81, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends one masked frame of up to 125 bytes; {@code firstByte} holds FIN and the opcode (0x81: a whole text). */
    public void sendFrame(int firstByte, byte[] payload) throws IOException {
        if (payload.length > 125) {
            throw new IllegalArgumentException("short frames only");
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        byte[] frame = new byte[2 + 4 + payload.length];
        frame[0] = (byte) firstByte;
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        out.write(frame);
        out.flush();
    }

    /** Reads frames until the server's close frame and returns its status code. */
    public int awaitCloseCode() throws IOException {
        while (true) {
            int opCode = readHeader();
            byte[] payload = in.readNBytes((int) pendingPayload);
            if (opCode == 0x8) {
                return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
            }
        }
    }

    /** Reads and discards one frame from the server; returns its opcode. */
    public int skipFrame() throws IOException {
        int opCode = readHeader();
        in.skipNBytes(pendingPayload);
        return opCode;
    }

    /** Reads a server frame's header (servers do not mask); its payload length is left in {@link #pendingPayload}. */
    private int readHeader() throws IOException {
        int first = in.read();
        int second = in.read();
        if (first < 0 || second < 0) {
            throw new IOException("connection closed");
        }
        long length = second & 0x7F;
        if (length == 126) {
            length = (in.read() << 8) | in.read();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | in.read();
            }
        }
        pendingPayload = length;
        return first & 0x0F;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static String readHeaders(InputStream in) throws IOException {
        StringBuilder headers = new StringBuilder();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            headers.append((char) b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1
                    : 0;
        }
        return headers.toString();
    }
}
