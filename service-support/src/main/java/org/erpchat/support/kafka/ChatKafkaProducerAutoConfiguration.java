package org.erpchat.support.kafka;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.ProducerListener;

/**
 * Sends that fail are reported once, by whoever sent them, not once per record by Spring Kafka: Boot's default
 * producer listener ({@code LoggingProducerListener}) logs an ERROR with the record's key and value for every record
 * a send fails, so a Kafka outage printed one line per outbox entry, with the event in it. The outbox relays read
 * each send's result and log an outage once, with a count ({@code FaultLog}); this listener, which Boot's
 * {@code KafkaTemplate} takes instead, does nothing.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnClass(KafkaTemplate.class)
public class ChatKafkaProducerAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(ProducerListener.class)
    ProducerListener<Object, Object> kafkaProducerListener() {
        return quiet();
    }

    /** A listener that logs nothing, for templates built by hand as well ({@code setProducerListener}). */
    public static <K, V> ProducerListener<K, V> quiet() {
        return new ProducerListener<>() {};
    }
}
