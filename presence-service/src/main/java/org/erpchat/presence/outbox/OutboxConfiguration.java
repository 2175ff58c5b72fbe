package org.erpchat.presence.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
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

    /** Kafka's {@code max.block.ms} when none is configured. */
    private static final long DEFAULT_MAX_BLOCK_MS = 60_000;

    /** Kafka's {@code delivery.timeout.ms} when none is configured. */
    private static final long DEFAULT_DELIVERY_TIMEOUT_MS = 120_000;

    @Bean
    OutboxStream outboxStream(
            StringRedisTemplate redis,
            KafkaTemplate<String, ChatEvent> kafka,
            PresenceProperties properties,
            PresenceMetrics metrics) {
        Map<String, Object> producer = kafka.getProducerFactory().getConfigurationProperties();
        checkLease(
                properties.outbox().leaseTime(),
                producer.get(ProducerConfig.MAX_BLOCK_MS_CONFIG),
                producer.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG));
        return new OutboxStream(redis, kafka, properties.outbox(), metrics);
    }

    /**
     * The lease must outlast every send the relay has in flight: a send still being retried by the producer when the
     * lease passes to another instance would interleave a user's events with that instance's. A send is settled at
     * the latest {@code max.block.ms} plus {@code delivery.timeout.ms} after it was made: {@code send()} may first
     * wait up to {@code max.block.ms} for the topic's metadata, and the delivery timeout only starts once it returns.
     * Checked at startup, as {@link PresenceProperties} checks the lease against {@code send-timeout}.
     *
     * @param maxBlock the producer's {@code max.block.ms} as configured (a number or its text), or null for Kafka's
     *     default of one minute
     * @param deliveryTimeout the producer's {@code delivery.timeout.ms} as configured (a number or its text), or null
     *     for Kafka's default of two minutes
     */
    static void checkLease(Duration leaseTime, Object maxBlock, Object deliveryTimeout) {
        long maxBlockMillis = millis(maxBlock, DEFAULT_MAX_BLOCK_MS);
        long deliveryMillis = millis(deliveryTimeout, DEFAULT_DELIVERY_TIMEOUT_MS);
        if (maxBlockMillis + deliveryMillis >= leaseTime.toMillis()) {
            throw new IllegalStateException("chat.presence.outbox.lease-time (" + leaseTime.toMillis()
                    + " ms) must exceed the Kafka producer's max.block.ms plus delivery.timeout.ms ("
                    + maxBlockMillis + " ms + " + deliveryMillis + " ms = " + (maxBlockMillis + deliveryMillis)
                    + " ms), the longest a send can stay unsettled");
        }
    }

    private static long millis(Object configured, long kafkaDefault) {
        return configured == null
                ? kafkaDefault
                : Long.parseLong(configured.toString().trim());
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
