package org.erpchat.support.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Serializer;
import org.erpchat.events.ChatEvent;
import org.erpchat.events.EventCodec;

/**
 * Writes whatever a failed record held back out unchanged: the original bytes of a record that could not be read,
 * the JSON of an event that could be read but not processed, or a string key.
 */
public class DeadLetterSerializer implements Serializer<Object> {

    private final EventCodec codec = new EventCodec();

    @Override
    public byte[] serialize(String topic, Object data) {
        if (data == null) {
            return null;
        }
        if (data instanceof byte[] bytes) {
            return bytes;
        }
        if (data instanceof ChatEvent event) {
            return codec.encode(event);
        }
        return data.toString().getBytes(StandardCharsets.UTF_8);
    }
}
