package org.erpchat.support.security;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;

/**
 * JWT validation for every service, configured by {@link JwtProperties}, and the default filter chain of the REST
 * services: stateless, bearer tokens only, health, metrics and API docs open, everything else authenticated; errors as
 * problem details (401, 403, and 503 for a token that could not be checked, {@link ProblemAuthenticationFailureHandler}).
 * A service that needs a different chain declares its own {@link SecurityFilterChain}.
 */
@AutoConfiguration(
        beforeName = {
            "org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration",
            "org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.OAuth2ResourceServerWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration"
        })
@EnableConfigurationProperties(JwtProperties.class)
public class ChatSecurityAutoConfiguration {

    /** Paths that answer without a token: probes, metrics scraping and the API description. */
    public static final String[] PUBLIC_PATHS = {
        "/actuator/health",
        "/actuator/health/**",
        "/actuator/info",
        "/actuator/prometheus",
        "/v3/api-docs",
        "/v3/api-docs/**",
        "/swagger-ui.html",
        "/swagger-ui/**",
        "/error"
    };

    @Bean
    @ConditionalOnMissingBean
    JwtDecoder jwtDecoder(JwtProperties properties) {
        return ChatJwtDecoders.create(properties);
    }

    @Bean
    @ConditionalOnMissingBean
    UserIdClaim userIdClaim(JwtProperties properties) {
        return new UserIdClaim(properties);
    }

    /**
     * Turning Spring Security's observations off ({@code management.observations.enable.spring.security: false}, as
     * every service does) makes them record nothing, but its filter chain would still wrap each of its filters, the
     * authentication and the authorization in an observation of its own on every request: 3 % of message-service's
     * REST request threads (docs/benchmarks.md section 7, step 25). These settings leave them unwrapped.
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(name = "management.observations.enable.spring.security", havingValue = "false")
    SecurityObservationSettings chatSecurityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    static class RestServiceFilterChain {

        @Bean
        @ConditionalOnMissingBean(SecurityFilterChain.class)
        SecurityFilterChain chatRestSecurityFilterChain(HttpSecurity http, UserIdClaim userIdClaim) throws Exception {
            ProblemAuthenticationEntryPoint entryPoint = new ProblemAuthenticationEntryPoint();
            http.csrf(csrf -> csrf.disable())
                    .cors(Customizer.withDefaults())
                    .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                    .authorizeHttpRequests(requests -> requests.requestMatchers(PUBLIC_PATHS)
                            .permitAll()
                            .anyRequest()
                            .authenticated())
                    .oauth2ResourceServer(oauth2 -> oauth2.jwt(
                                    jwt -> jwt.jwtAuthenticationConverter(new ChatAuthenticationConverter(userIdClaim)))
                            .authenticationEntryPoint(entryPoint)
                            .accessDeniedHandler(new ProblemAccessDeniedHandler())
                            // The configurer has no setter for it: a token that cannot be checked is 503, not a 500.
                            .withObjectPostProcessor(new ObjectPostProcessor<BearerTokenAuthenticationFilter>() {
                                @Override
                                public <O extends BearerTokenAuthenticationFilter> O postProcess(O filter) {
                                    filter.setAuthenticationFailureHandler(
                                            new ProblemAuthenticationFailureHandler(entryPoint));
                                    return filter;
                                }
                            }))
                    .exceptionHandling(exceptions -> exceptions
                            .authenticationEntryPoint(entryPoint)
                            .accessDeniedHandler(new ProblemAccessDeniedHandler()));
            return http.build();
        }
    }
}
