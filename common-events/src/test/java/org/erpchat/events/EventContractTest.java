package org.erpchat.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;

/**
 * Pins the JSON of every event. The expected documents live in {@code src/test/resources/contract}; a change to a
 * record that changes its JSON breaks this test, which is the point: change the document only together with the
 * schema version rules in {@link EventType}.
 */
class EventContractTest {

    private final EventCodec codec = new EventCodec();

    @Test
    void everyEventTypeHasAnExampleAndAPinnedDocument() {
        assertThat(EventExamples.ALL.keySet()).containsExactlyInAnyOrder(EventType.values());
        Stream.of(EventType.values()).forEach(type -> assertThat(pinned(type)).isNotBlank());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void encodesToThePinnedDocument(EventType type) throws Exception {
        String json = codec.encodeToString(EventExamples.ALL.get(type));

        JSONAssert.assertEquals(pinned(type), json, JSONCompareMode.STRICT);
        assertThat(json).startsWith("{\"eventType\":\"" + type.wireName() + "\",\"schemaVersion\":1,");
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void decodesThePinnedDocumentBackToTheSameRecord(EventType type) {
        ChatEvent decoded = codec.decode(pinned(type));

        assertThat(decoded).isEqualTo(EventExamples.ALL.get(type));
        assertThat(decoded.eventType()).isEqualTo(type);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void noJavaClassNameReachesTheWire(EventType type) {
        String json = codec.encodeToString(EventExamples.ALL.get(type));

        assertThat(json).doesNotContain("org.erpchat").doesNotContain("@class");
    }

    @Test
    void eachEventTypeHasADistinctWireName() {
        assertThat(Arrays.stream(EventType.values()).map(EventType::wireName)).doesNotHaveDuplicates();
    }

    private static String pinned(EventType type) {
        String path = "/contract/" + type.wireName() + ".json";
        try (InputStream in = EventContractTest.class.getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
