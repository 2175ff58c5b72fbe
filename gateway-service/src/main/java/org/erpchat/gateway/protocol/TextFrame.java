package org.erpchat.gateway.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A text frame's payload, encoded to UTF-8 once: a message delivered to 1,000 sessions is written from the same bytes
 * 1,000 times instead of being re-encoded for each socket.
 */
public final class TextFrame {

    private final ByteBuffer utf8;
    private final ByteBuffer wire;
    /** Decoded only for the writers that take text (the standard Jakarta connection, tests). */
    private volatile String text;

    private TextFrame(byte[] payload) {
        ByteBuffer frame = wholeFrame(payload.length, false).put(payload).flip().asReadOnlyBuffer();
        this.wire = frame;
        // The payload is the frame's tail: one copy of the bytes serves both.
        this.utf8 = frame.duplicate().position(frame.limit() - payload.length).slice();
    }

    private TextFrame(String text) {
        this(text.getBytes(StandardCharsets.UTF_8));
        this.text = text;
    }

    /**
     * {@code {"event":EVENT,"data":DATA}}, built from {@code data}'s bytes as they are (they must be one JSON value)
     * without serializing anything again: the same bytes {@link ServerEvents#frame} writes for that event and value.
     *
     * @param event an event name (letters and underscores: nothing to escape)
     */
    public static TextFrame envelope(String event, byte[] data) {
        return envelope(event, data, false);
    }

    /**
     * {@link #envelope(String, byte[])}, its bytes kept outside the heap when {@code offHeap}: for a frame written to
     * many sockets. A socket write from a heap buffer makes the JDK copy the bytes into a temporary native buffer
     * first, once per socket (4-5 % of the gateway's CPU in a 1,000-member fan-out, docs/benchmarks.md section 6
     * step 15); from a direct buffer every socket is written from the same memory. A frame for a few sockets stays on
     * the heap, which is cheaper to allocate and free ({@link PreparedMessage} decides).
     */
    public static TextFrame envelope(String event, byte[] data, boolean offHeap) {
        byte[] head = ("{\"event\":\"" + event + "\",\"data\":").getBytes(StandardCharsets.US_ASCII);
        int length = head.length + data.length + 1;
        ByteBuffer frame = wholeFrame(length, offHeap)
                .put(head)
                .put(data)
                .put((byte) '}')
                .flip()
                .asReadOnlyBuffer();
        return new TextFrame(frame, length);
    }

    private TextFrame(ByteBuffer frame, int payloadLength) {
        this.wire = frame;
        this.utf8 = frame.duplicate().position(frame.limit() - payloadLength).slice();
    }

    /**
     * The frame as a server sends it (RFC 6455 §5.2): FIN and opcode text, the payload length in the shortest form, no
     * mask, then the payload. A server's frames are never masked, so these bytes are the same for every socket.
     */
    private static ByteBuffer wholeFrame(int length, boolean offHeap) {
        int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
        ByteBuffer frame = offHeap ? ByteBuffer.allocateDirect(header + length) : ByteBuffer.allocate(header + length);
        frame.put((byte) 0x81);
        if (length < 126) {
            frame.put((byte) length);
        } else if (length <= 0xFFFF) {
            frame.put((byte) 126).putShort((short) length);
        } else {
            frame.put((byte) 127).putLong(length);
        }
        return frame;
    }

    public static TextFrame of(String text) {
        return new TextFrame(text);
    }

    public String text() {
        String decoded = text;
        if (decoded == null) {
            decoded = StandardCharsets.UTF_8.decode(utf8.duplicate()).toString();
            text = decoded;
        }
        return decoded;
    }

    /** A view of the payload of its own, one per write (a writer may move its position), read-only like the bytes. */
    public ByteBuffer payload() {
        return utf8.duplicate();
    }

    /** The whole frame, header and payload, as a view of its own per write, read-only like the bytes. */
    public ByteBuffer wire() {
        return wire.duplicate();
    }

    /** The payload's length in bytes. */
    public int size() {
        return utf8.capacity();
    }

    @Override
    public String toString() {
        return text();
    }
}
