package org.erpchat.events;

import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer for {@link ChatEvent}. Throws {@link EventDecodingException} for anything it cannot read; wrap it
 * in Spring Kafka's {@code ErrorHandlingDeserializer} so such records reach the dead-letter topic instead of stopping
 * the consumer.
 */
public class ChatEventDeserializer implements Deserializer<ChatEvent> {

    private final EventCodec codec = new EventCodec();

    @Override
    public ChatEvent deserialize(String topic, byte[] data) {
        return data == null ? null : codec.decode(data);
    }
}
