package org.erpchat.gateway.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The gateway has no REST API of its own: {@code /ws} authenticates in its handshake (a token in the query or header,
 * or a first {@code auth} message), the web app and its JavaScript client are public files, and the actuator endpoints
 * are for probes and scraping. So no request needs a session or a bearer token at the HTTP layer.
 */
@Configuration(proxyBeanMethods = false)
class GatewaySecurityConfiguration {

    @Bean
    SecurityFilterChain gatewaySecurityFilterChain(HttpSecurity http) throws Exception {
        return http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .build();
    }
}
