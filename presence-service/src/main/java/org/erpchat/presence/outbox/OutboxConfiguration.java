package org.erpchat.presence.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import org.erpchat.events.ChatEvent;
import org.erpchat.presence.PresenceMetrics;
import org.erpchat.presence.PresenceProperties;
import org.erpchat.support.outbox.OutboxRelay;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.kafka.core.KafkaTemplate;

/** The relay loop over {@link OutboxStream}. */
@Configuration(proxyBeanMethods = false)
class OutboxConfiguration {

    /** Stops after the Kafka listeners (so their last transitions get published) and before the Redis client. */
    static final int PHASE = 100;

    @Bean
    OutboxStream outboxStream(
            StringRedisTemplate redis,
            KafkaTemplate<String, ChatEvent> kafka,
            PresenceProperties properties,
            PresenceMetrics metrics) {
        return new OutboxStream(redis, kafka, properties.outbox(), metrics);
    }

    @Bean
    OutboxRelay outboxRelay(OutboxStream stream, PresenceProperties properties, MeterRegistry meters) {
        PresenceProperties.Outbox config = properties.outbox();
        OutboxRelay.Settings settings = new OutboxRelay.Settings(
                "presence-outbox-relay",
                "chat.presence.outbox.published",
                "chat.presence.outbox.publish.failures",
                true,
                config.batchSize(),
                config.pollInterval(),
                config.initialBackoff(),
                config.maxBackoff(),
                config.sendTimeout().plusSeconds(5),
                PHASE);
        return new OutboxRelay(stream, settings, meters);
    }
}
