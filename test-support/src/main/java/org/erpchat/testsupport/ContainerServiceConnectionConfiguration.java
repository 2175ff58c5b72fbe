package org.erpchat.testsupport;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * {@code @ServiceConnection} beans for the shared containers. The containers outlive any one application context
 * (they stop with the JVM), hence no destroy method.
 */
@TestConfiguration(proxyBeanMethods = false)
class ContainerServiceConnectionConfiguration {

    @Bean
    ChatInfrastructure chatInfrastructure() {
        return SharedInfrastructure.get();
    }

    private static ContainerChatInfrastructure containers() {
        return (ContainerChatInfrastructure) SharedInfrastructure.get();
    }

    @TestConfiguration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails")
    static class Jdbc {
        @Bean(destroyMethod = "")
        @ServiceConnection
        PostgreSQLContainer postgresContainer() {
            return containers().postgres();
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails")
    static class Kafka {
        @Bean(destroyMethod = "")
        @ServiceConnection
        KafkaContainer kafkaContainer() {
            return containers().kafka();
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails")
    static class Redis {
        @Bean(destroyMethod = "")
        @ServiceConnection(name = "redis")
        GenericContainer<?> redisContainer() {
            return containers().redis();
        }
    }
}
