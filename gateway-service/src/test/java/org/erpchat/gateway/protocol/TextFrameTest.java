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
}
