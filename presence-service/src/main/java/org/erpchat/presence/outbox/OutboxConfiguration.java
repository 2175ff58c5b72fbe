package org.erpchat.presence.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.apache.kafka.clients.producer.ProducerConfig;
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

    /** Kafka's {@code delivery.timeout.ms} when none is configured. */
    private static final long DEFAULT_DELIVERY_TIMEOUT_MS = 120_000;

    @Bean
    OutboxStream outboxStream(
            StringRedisTemplate redis,
            KafkaTemplate<String, ChatEvent> kafka,
            PresenceProperties properties,
            PresenceMetrics metrics) {
        checkLease(
                properties.outbox().leaseTime(),
                kafka.getProducerFactory().getConfigurationProperties().get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG));
        return new OutboxStream(redis, kafka, properties.outbox(), metrics);
    }

    /**
     * The lease must outlast every send the relay has in flight: a send still being retried by the producer when the
     * lease passes to another instance would interleave a user's events with that instance's. Checked at startup, as
     * {@link PresenceProperties} checks the lease against {@code send-timeout}.
     *
     * @param deliveryTimeout the producer's {@code delivery.timeout.ms} as configured (a number or its text), or null
     *     for Kafka's default of two minutes
     */
    static void checkLease(Duration leaseTime, Object deliveryTimeout) {
        long deliveryMillis = deliveryTimeout == null
                ? DEFAULT_DELIVERY_TIMEOUT_MS
                : Long.parseLong(deliveryTimeout.toString().trim());
        if (deliveryMillis >= leaseTime.toMillis()) {
            throw new IllegalStateException("chat.presence.outbox.lease-time (" + leaseTime.toMillis()
                    + " ms) must exceed the Kafka producer's delivery.timeout.ms (" + deliveryMillis + " ms)");
        }
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
