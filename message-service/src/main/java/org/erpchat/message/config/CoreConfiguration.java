package org.erpchat.message.config;

import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;

/** Beans shared by every feature. */
@Configuration(proxyBeanMethods = false)
// @PreAuthorize on the admin endpoint; the URL rules come from service-support's filter chain.
@EnableMethodSecurity
class CoreConfiguration {

    /**
     * Server timestamps come from one clock, in UTC, ticking in milliseconds: what is stored, returned and published
     * is the same value (PostgreSQL keeps microseconds, JSON shows milliseconds), and activity times never go back.
     */
    @Bean
    Clock clock() {
        return Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));
    }

    @Bean
    MigrationsWithoutSocketTimeout migrationsWithoutSocketTimeout() {
        return new MigrationsWithoutSocketTimeout();
    }

    /**
     * PostgreSQL's error codes for every JDBC call (Boot gives this translator to its {@code JdbcTemplate}). Without
     * it, Spring translates by SQLState class alone and a lock timeout (55P03) is an uncategorized error: a REST send
     * that waited out {@code send.lock-timeout} was a 500 instead of a 503 to retry. Named rather than looked up from
     * the database, so that translating the failures of an outage never needs a connection.
     */
    @Bean
    SQLExceptionTranslator postgresErrorCodes() {
        return new SQLErrorCodeSQLExceptionTranslator("PostgreSQL");
    }
}
