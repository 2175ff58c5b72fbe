package org.erpchat.events;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer for {@link ChatEvent}. Besides the JSON body it sets the {@code eventType} and
 * {@code schemaVersion} headers, so tools and filters can route a record without parsing it.
 */
public class ChatEventSerializer implements Serializer<ChatEvent> {

    private final EventCodec codec = new EventCodec();

    @Override
    public byte[] serialize(String topic, ChatEvent event) {
        return event == null ? null : codec.encode(event);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, ChatEvent event) {
        if (event != null) {
            EventHeaders.write(headers, event.eventType());
        }
        return serialize(topic, event);
    }
}
