package org.erpchat.message.config;

import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
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
}
