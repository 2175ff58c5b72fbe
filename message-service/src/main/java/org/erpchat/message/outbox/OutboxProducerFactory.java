package org.erpchat.message.outbox;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.stereotype.Component;

/**
 * The outbox's own producer: string keys, the stored JSON bytes as values, and the settings its guarantees rest on
 * whatever {@code spring.kafka.producer.*} says: every in-sync replica acknowledges ({@code acks=all}) and retries
 * cannot duplicate or reorder within a partition (idempotence). Timeouts ({@code max.block.ms},
 * {@code request.timeout.ms}, {@code delivery.timeout.ms}) and {@code linger.ms} come from
 * {@code spring.kafka.producer.properties}; see application.yml.
 */
@Component
class OutboxProducerFactory implements Supplier<ProducerFactory<String, byte[]>>, DisposableBean {

    private final DefaultKafkaProducerFactory<String, byte[]> factory;

    OutboxProducerFactory(KafkaProperties kafkaProperties, KafkaConnectionDetails connectionDetails) {
        Map<String, Object> config = new HashMap<>(kafkaProperties.buildProducerProperties());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, connectionDetails.getBootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "message-service-outbox");
        this.factory = new DefaultKafkaProducerFactory<>(config, new StringSerializer(), new ByteArraySerializer());
        // Closing must not hang on a broker that is gone: what was not acknowledged stays in the outbox anyway.
        this.factory.setPhysicalCloseTimeout(5);
    }

    @Override
    public ProducerFactory<String, byte[]> get() {
        return factory;
    }

    @Override
    public void destroy() {
        factory.destroy();
    }
}
