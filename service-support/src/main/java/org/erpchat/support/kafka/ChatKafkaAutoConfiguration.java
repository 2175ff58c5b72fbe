package org.erpchat.support.kafka;

import java.time.DateTimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.erpchat.events.EventDecodingException;
import org.erpchat.events.Topics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The Kafka conventions every service follows: the chat topics and their dead-letter topics exist, and a listener that
 * cannot read a record, or keeps failing to process one, sends it to {@code <topic>.dlt} and carries on.
 */
@AutoConfiguration(afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@EnableConfigurationProperties(ChatKafkaProperties.class)
public class ChatKafkaAutoConfiguration {

    static final List<String> CHAT_TOPICS =
            List.of(Topics.MESSAGE_COMMANDS, Topics.MESSAGE_EVENTS, Topics.CONNECTION_EVENTS, Topics.PRESENCE_EVENTS);

    @Bean
    @ConditionalOnProperty(name = "chat.kafka.topics.create", havingValue = "true", matchIfMissing = true)
    KafkaAdmin.NewTopics chatTopics(ChatKafkaProperties properties) {
        List<NewTopic> topics = new ArrayList<>();
        for (String topic : CHAT_TOPICS) {
            topics.add(new NewTopic(
                    topic, properties.topics().partitions(), properties.topics().replicationFactor()));
            topics.add(new NewTopic(
                    Topics.deadLetter(topic), 1, properties.topics().replicationFactor()));
        }
        return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
    }

    @Bean
    @ConditionalOnMissingBean(CommonErrorHandler.class)
    DefaultErrorHandler chatKafkaErrorHandler(
            KafkaProperties kafkaProperties,
            KafkaConnectionDetails connectionDetails,
            ChatKafkaProperties properties,
            ObjectProvider<DeadLetterObserver> observers) {
        DeadLetterRecoverer recoverer = new DeadLetterRecoverer(
                deadLetterTemplate(kafkaProperties, connectionDetails),
                observers.orderedStream().toList());
        ExponentialBackOff backOff = new ExponentialBackOff(
                properties.retry().initialInterval().toMillis(), ExponentialBackOff.DEFAULT_MULTIPLIER);
        backOff.setMaxInterval(properties.retry().maxInterval().toMillis());
        backOff.setMaxElapsedTime(properties.retry().maxElapsedTime().toMillis());
        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
        // Retrying cannot make an unreadable or invalid record valid, nor arithmetic on its values come out otherwise
        // (a time or number the contract allows but a conversion overflows on): it fails the same way every time.
        handler.addNotRetryableExceptions(
                DeserializationException.class,
                EventDecodingException.class,
                IllegalArgumentException.class,
                ArithmeticException.class,
                DateTimeException.class);
        return handler;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    static class KafkaHealth {

        @Bean
        @ConditionalOnMissingBean(name = "kafkaHealthIndicator")
        KafkaClusterHealthIndicator kafkaHealthIndicator(KafkaAdmin kafkaAdmin) {
            return new KafkaClusterHealthIndicator(kafkaAdmin.getConfigurationProperties(), Duration.ofSeconds(3));
        }
    }

    private static KafkaTemplate<Object, Object> deadLetterTemplate(
            KafkaProperties kafkaProperties, KafkaConnectionDetails connectionDetails) {
        Map<String, Object> config = new HashMap<>(kafkaProperties.buildProducerProperties());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, connectionDetails.getBootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // At least Kafka's default: a dead letter too large for the broker is then refused by the broker, whose answer
        // names the cause (DeadLetterRecoverer skips such a record), not by this client, whose refusal Spring Kafka
        // reports without one (the record would be retried for ever).
        Object configured = config.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        int maxRequestSize =
                configured == null ? 0 : Integer.parseInt(configured.toString().trim());
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Math.max(maxRequestSize, 1_048_576));
        DeadLetterSerializer serializer = new DeadLetterSerializer();
        KafkaTemplate<Object, Object> template =
                new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(config, serializer, serializer));
        // The dead-letter recoverer reports a failed publication itself.
        template.setProducerListener(ChatKafkaProducerAutoConfiguration.quiet());
        return template;
    }
}
