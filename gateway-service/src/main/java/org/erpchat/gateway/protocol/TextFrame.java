package org.erpchat.gateway.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A text frame's payload, encoded to UTF-8 once: a message delivered to 1,000 sessions is written from the same bytes
 * 1,000 times instead of being re-encoded for each socket.
 */
public final class TextFrame {

    private final String text;
    private final ByteBuffer utf8;

    private TextFrame(String text) {
        this.text = text;
        this.utf8 = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
    }

    public static TextFrame of(String text) {
        return new TextFrame(text);
    }

    public String text() {
        return text;
    }

    /** A view of the payload of its own, one per write (a writer may move its position), read-only like the bytes. */
    public ByteBuffer payload() {
        return utf8.duplicate();
    }

    /** The payload's length in bytes. */
    public int size() {
        return utf8.capacity();
    }

    @Override
    public String toString() {
        return text;
    }
}
