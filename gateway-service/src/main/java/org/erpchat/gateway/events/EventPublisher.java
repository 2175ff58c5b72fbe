package org.erpchat.gateway.events;

import java.util.concurrent.CompletableFuture;
import org.erpchat.events.ChatEvent;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

/** Publishes the gateway's events (commands, connection lifecycle, typing) on their topics, keyed as the contract says. */
@Component
public class EventPublisher {

    private final KafkaTemplate<String, ChatEvent> kafka;

    public EventPublisher(KafkaTemplate<String, ChatEvent> kafka) {
        this.kafka = kafka;
    }

    /**
     * Sends asynchronously. The future fails when Kafka does not take the record; if the broker is unreachable the
     * call itself may block for up to {@code spring.kafka.producer.properties.max.block.ms} and then fail.
     */
    public CompletableFuture<SendResult<String, ChatEvent>> publish(ChatEvent event) {
        try {
            return kafka.send(event.eventType().topic(), event.partitionKey(), event);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
