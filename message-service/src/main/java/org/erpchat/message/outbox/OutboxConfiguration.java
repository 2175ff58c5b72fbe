package org.erpchat.message.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import org.erpchat.support.outbox.OutboxRelay;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/** The relay loop over {@link OutboxTable}. */
@Configuration(proxyBeanMethods = false)
class OutboxConfiguration {

    /** Starts before and stops after the web server and the Kafka listeners, so the last writes still go out. */
    private static final int PHASE = Integer.MIN_VALUE + 1000;

    @Bean
    OutboxRelay outboxRelay(
            JdbcClient jdbc,
            PlatformTransactionManager transactionManager,
            OutboxProducerFactory producerFactory,
            OutboxProperties properties,
            MeterRegistry meters) {
        OutboxTable table = new OutboxTable(jdbc, transactionManager, producerFactory.get(), properties);
        OutboxRelay.Settings settings = new OutboxRelay.Settings(
                "outbox-relay",
                "chat.outbox.published",
                "chat.outbox.publish.failures",
                properties.enabled(),
                properties.batchSize(),
                properties.pollInterval(),
                properties.initialBackoff(),
                properties.maxBackoff(),
                properties.ackTimeout().plusSeconds(5),
                PHASE);
        return new OutboxRelay(table, settings, meters);
    }
}
