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
 *
 * <p>The chain does not apply to {@code /ws} at all: a handshake is authenticated by {@link
 * org.erpchat.gateway.auth.HandshakeAuthenticator}, and a reconnect storm of thousands of handshakes should not pay for
 * a dozen filters that have nothing to decide (they were a tenth of the gateway's CPU while 1,000 clients connected).
 * A handshake on {@code /ws} itself never even reaches the chain: the first filter serves it.
 * Everything else (the web app's files, actuator) keeps the chain and its response headers.
 */
@Configuration(proxyBeanMethods = false)
class GatewaySecurityConfiguration {

    @Bean
    SecurityFilterChain gatewaySecurityFilterChain(HttpSecurity http) throws Exception {
        return http.securityMatcher(request -> !isWebSocketEndpoint(request.getRequestURI()))
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .build();
    }

    static boolean isWebSocketEndpoint(String path) {
        return path.equals("/ws") || path.startsWith("/ws/");
    }
}
