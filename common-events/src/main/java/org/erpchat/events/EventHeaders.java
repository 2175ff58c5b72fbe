package org.erpchat.events;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;

/** The Kafka record headers that repeat an event's type and schema version outside its body. */
public final class EventHeaders {

    public static final String EVENT_TYPE = "eventType";
    public static final String SCHEMA_VERSION = "schemaVersion";

    private EventHeaders() {}

    static void write(Headers headers, EventType type) {
        headers.remove(EVENT_TYPE).remove(SCHEMA_VERSION);
        headers.add(EVENT_TYPE, type.wireName().getBytes(StandardCharsets.UTF_8));
        headers.add(SCHEMA_VERSION, Integer.toString(type.schemaVersion()).getBytes(StandardCharsets.UTF_8));
    }
}
