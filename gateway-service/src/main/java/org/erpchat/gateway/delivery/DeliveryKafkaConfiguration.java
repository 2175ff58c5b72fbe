package org.erpchat.gateway.delivery;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

/**
 * How the gateway's listeners treat a record they cannot read or route: dead-letter it ({@link DeadLetters}) and move
 * on at once. Unlike the services that own a topic, a gateway never retries: every user on this gateway would wait.
 */
@Configuration(proxyBeanMethods = false)
class DeliveryKafkaConfiguration {

    @Bean
    CommonErrorHandler gatewayKafkaErrorHandler(DeadLetters deadLetters) {
        DefaultErrorHandler handler = new DefaultErrorHandler(deadLetters, new FixedBackOff(0L, 0L));
        // DeadLetters logs, once with a count; the handler's own line per record would defeat that.
        handler.setLogLevel(org.springframework.kafka.KafkaException.Level.DEBUG);
        return handler;
    }
}
