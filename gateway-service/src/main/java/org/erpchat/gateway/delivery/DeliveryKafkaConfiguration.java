package org.erpchat.gateway.delivery;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

/**
 * How the gateway's listeners treat a record they cannot read or route: log it, count it, move on at once. Unlike
 * the services that own a topic, a gateway neither retries (every user on this gateway would wait) nor dead-letters
 * (each of N gateways would write the same record N times); the producer's own consumers dead-letter.
 */
@Configuration(proxyBeanMethods = false)
class DeliveryKafkaConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DeliveryKafkaConfiguration.class);

    @Bean
    CommonErrorHandler gatewayKafkaErrorHandler(MeterRegistry meters) {
        DefaultErrorHandler handler = new DefaultErrorHandler(
                (record, failure) -> {
                    meters.counter("chat.gateway.events.skipped", "topic", record.topic())
                            .increment();
                    log.warn(
                            "Skipping record {}-{}@{}: {}",
                            record.topic(),
                            record.partition(),
                            record.offset(),
                            failure.getMessage());
                },
                new FixedBackOff(0L, 0L));
        handler.setLogLevel(org.springframework.kafka.KafkaException.Level.DEBUG);
        return handler;
    }
}
