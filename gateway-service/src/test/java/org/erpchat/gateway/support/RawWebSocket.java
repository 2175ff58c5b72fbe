package org.erpchat.gateway.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a plain socket, for frames no WebSocket library sends: a client library checks its own frames
 * (fragment order among them) before they leave, so only this can show what the gateway does with them.
 */
public final class RawWebSocket implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Opens {@code /ws?<query>} and reads the 101 answer's headers. */
    public static RawWebSocket open(int port, String query) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        RawWebSocket raw = new RawWebSocket(socket);
        raw.out.write(("GET /ws?" + query + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Sec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        raw.out.flush();
        StringBuilder headers = new StringBuilder();
        while (!headers.toString().endsWith("\r\n\r\n")) {
            headers.append((char) raw.in.readUnsignedByte());
        }
        if (!headers.toString().startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("not upgraded: " + headers);
        }
        return raw;
    }

    /** Writes one masked frame of {@code opCode}, as given, whatever came before it. */
    public void sendFrame(int opCode, boolean fin, String payload) throws IOException {
        byte[] data = payload.getBytes(StandardCharsets.UTF_8);
        if (data.length > 125) {
            throw new IllegalArgumentException("a short payload only");
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write((fin ? 0x80 : 0) | opCode);
        frame.write(0x80 | data.length);
        frame.write(mask);
        for (int i = 0; i < data.length; i++) {
            frame.write(data[i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /** Reads the server's frames until its close frame; its status code (-1 when it has none, or the socket ended). */
    public int awaitCloseCode() throws IOException {
        while (true) {
            int first;
            try {
                first = in.readUnsignedByte();
            } catch (IOException ended) {
                return -1;
            }
            int opCode = first & 0x0F;
            long length = in.readUnsignedByte() & 0x7F; // server frames are not masked
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = in.readNBytes((int) length);
            if (opCode == 0x8) {
                return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
