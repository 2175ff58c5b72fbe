package org.erpchat.gateway.delivery;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties.AssignmentCommitOption;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

/**
 * How the gateway's listeners treat a record they cannot read or route: dead-letter it ({@link DeadLetters}) and move
 * on at once. Unlike the services that own a topic, a gateway never retries: every user on this gateway would wait.
 * And that they commit no offsets ({@link ReadPositions} says why).
 */
@Configuration(proxyBeanMethods = false)
class DeliveryKafkaConfiguration {

    @Bean
    CommonErrorHandler gatewayKafkaErrorHandler(DeadLetters deadLetters) {
        DefaultErrorHandler handler = new DefaultErrorHandler(deadLetters, new FixedBackOff(0L, 0L));
        // DeadLetters logs, once with a count; the handler's own line per record would defeat that.
        handler.setLogLevel(org.springframework.kafka.KafkaException.Level.DEBUG);
        // The gateway commits no offsets (application.yml, spring.kafka.listener.ack-mode), a dead letter's neither.
        handler.setAckAfterHandle(false);
        return handler;
    }

    /**
     * Not even the position Spring Kafka commits when a partition without a committed offset is assigned: a gateway's
     * groups are new with every run, so that would be one commit per partition per start for nothing.
     */
    @Bean
    ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> noOffsetCommits() {
        return container -> container.getContainerProperties().setAssignmentCommitOption(AssignmentCommitOption.NEVER);
    }
}
