package org.erpchat.support.logging;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The Kafka client library's repeated lines are logged once with a count, as our own faults are
 * ({@link RepeatedKafkaLinesFilter}, set up by {@link RepeatedKafkaWarningsProperties}; {@code enabled} is read by the
 * condition below and is in the record so that it is bound and documented like the other properties). Ordered before
 * Boot's Kafka auto-configuration so that the filter is in place before Boot's Kafka beans are made; clients connect
 * only once the context starts.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnClass(LoggerContext.class)
@ConditionalOnBooleanProperty(name = "chat.logging.repeated-kafka-warnings.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RepeatedKafkaWarningsProperties.class)
public class ChatLoggingAutoConfiguration {

    @Bean
    RepeatedKafkaLinesInstaller repeatedKafkaLinesInstaller(RepeatedKafkaWarningsProperties properties) {
        LoggerContext context = logbackContext();
        return new RepeatedKafkaLinesInstaller(context, new RepeatedKafkaLinesFilter(context, properties.window()));
    }

    private static LoggerContext logbackContext() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context) {
            return context;
        }
        throw new IllegalStateException("Logback is on the classpath but SLF4J logs through "
                + factory.getClass().getName() + "; set chat.logging.repeated-kafka-warnings.enabled=false");
    }
}
