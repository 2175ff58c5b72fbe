package org.erpchat.testsupport;

import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Connection details for the embedded servers: the same beans {@code @ServiceConnection} would register for
 * containers, so the service's auto-configuration cannot tell the difference.
 */
@TestConfiguration(proxyBeanMethods = false)
class EmbeddedConnectionDetailsConfiguration {

    @Bean
    ChatInfrastructure chatInfrastructure() {
        return SharedInfrastructure.get();
    }

    @TestConfiguration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails")
    static class Jdbc {
        @Bean
        JdbcConnectionDetails embeddedPostgresConnectionDetails() {
            ChatInfrastructure infrastructure = SharedInfrastructure.get();
            return new JdbcConnectionDetails() {
                @Override
                public String getUsername() {
                    return infrastructure.jdbcUsername();
                }

                @Override
                public String getPassword() {
                    return infrastructure.jdbcPassword();
                }

                @Override
                public String getJdbcUrl() {
                    return infrastructure.jdbcUrl();
                }
            };
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails")
    static class Kafka {
        @Bean
        KafkaConnectionDetails embeddedKafkaConnectionDetails() {
            String bootstrapServers = SharedInfrastructure.get().kafkaBootstrapServers();
            return () -> List.of(bootstrapServers);
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails")
    static class Redis {
        @Bean
        DataRedisConnectionDetails embeddedRedisConnectionDetails() {
            ChatInfrastructure infrastructure = SharedInfrastructure.get();
            return new DataRedisConnectionDetails() {
                @Override
                public Standalone getStandalone() {
                    return Standalone.of(infrastructure.redisHost(), infrastructure.redisPort());
                }
            };
        }
    }
}
