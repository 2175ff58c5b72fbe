package org.erpchat.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** One encoding shared by every socket: each write gets its own view, and none can change the bytes. */
class TextFrameTest {

    @Test
    void eachWriteReadsTheWholeFrameWhateverAnEarlierWriteDidWithItsView() {
        TextFrame frame = TextFrame.of("{\"content\":\"Chào cả nhà\"}");
        ByteBuffer first = frame.payload();
        first.position(first.limit());

        ByteBuffer second = frame.payload();
        byte[] read = new byte[second.remaining()];
        second.get(read);

        assertThat(new String(read, StandardCharsets.UTF_8)).isEqualTo(frame.text());
        assertThat(frame.size())
                .isEqualTo(read.length)
                .isGreaterThan(frame.text().length());
        assertThat(second.isReadOnly()).isTrue();
    }

    @Test
    void theWholeFrameIsAnUnmaskedFinalTextFrameWithTheShortestLengthThatFits() {
        assertWholeFrame(TextFrame.of("x".repeat(125)), new byte[] {(byte) 0x81, 125}, 125);
        assertWholeFrame(TextFrame.of("x".repeat(126)), new byte[] {(byte) 0x81, 126, 0, 126}, 126);
        assertWholeFrame(
                TextFrame.of("x".repeat(65_535)), new byte[] {(byte) 0x81, 126, (byte) 0xFF, (byte) 0xFF}, 65_535);
        assertWholeFrame(
                TextFrame.of("x".repeat(65_536)), new byte[] {(byte) 0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0}, 65_536);
        // Length in bytes, not characters: "à" is two bytes of UTF-8.
        assertWholeFrame(TextFrame.of("à"), new byte[] {(byte) 0x81, 2}, 2);
    }

    @Test
    void aFrameForManySocketsIsTheSameBytesKeptOffTheHeap() {
        byte[] data = "{\"content\":\"Chào cả nhà\"}".getBytes(StandardCharsets.UTF_8);
        TextFrame onHeap = TextFrame.envelope("group_message", data);
        TextFrame offHeap = TextFrame.envelope("group_message", data, true);

        assertThat(onHeap.wire().isDirect()).isFalse();
        assertThat(offHeap.wire().isDirect()).isTrue();
        assertThat(bytes(offHeap.wire())).containsExactly(bytes(onHeap.wire()));
        assertThat(offHeap.text())
                .isEqualTo("{\"event\":\"group_message\",\"data\":" + new String(data, StandardCharsets.UTF_8) + "}");
        assertThat(offHeap.wire().isReadOnly()).isTrue();
    }

    private static byte[] bytes(ByteBuffer view) {
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return bytes;
    }

    private static void assertWholeFrame(TextFrame frame, byte[] header, int payloadBytes) {
        ByteBuffer wire = frame.wire();
        byte[] bytes = new byte[wire.remaining()];
        wire.get(bytes);
        assertThat(bytes).hasSize(header.length + payloadBytes);
        assertThat(java.util.Arrays.copyOf(bytes, header.length)).containsExactly(header);
        assertThat(new String(bytes, header.length, payloadBytes, StandardCharsets.UTF_8))
                .isEqualTo(frame.text());
        assertThat(frame.wire().remaining()).as("a view of its own per write").isEqualTo(bytes.length);
    }
}
