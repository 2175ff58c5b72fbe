package org.erpchat.support.web;

import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * CORS for the REST API, from {@link CorsProperties}. In services that answer with problem details (they declare a
 * {@link ProblemExceptionHandler}): the error page as a problem detail too, the watcher that ends an outage in the
 * handler's log, and the request body limit ({@link RequestBodyProperties}).
 */
@AutoConfiguration(beforeName = "org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(CorsConfigurationSource.class)
@EnableConfigurationProperties({CorsProperties.class, RequestBodyProperties.class})
public class ChatWebAutoConfiguration {

    // By name: Spring MVC's mvcHandlerMappingIntrospector is a CorsConfigurationSource too, and a by-type condition
    // would find it and leave the REST API without CORS. Spring Security's cors() looks this bean up by this name.
    @Bean
    @ConditionalOnMissingBean(name = "corsConfigurationSource")
    CorsConfigurationSource corsConfigurationSource(CorsProperties properties) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (!properties.allowedOrigins().isEmpty()) {
            CorsConfiguration cors = new CorsConfiguration();
            cors.setAllowedOrigins(properties.allowedOrigins());
            cors.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
            cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "Idempotency-Key"));
            cors.setExposedHeaders(List.of("Retry-After", "Location"));
            cors.setMaxAge(properties.maxAge());
            source.registerCorsConfiguration("/api/**", cors);
        }
        return source;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({WebMvcConfigurer.class, ErrorController.class})
    @ConditionalOnBean(ProblemExceptionHandler.class)
    static class ProblemHandling {

        // Spring Boot's own error controller backs off when there is one.
        @Bean
        @ConditionalOnMissingBean(ErrorController.class)
        ProblemErrorController problemErrorController() {
            return new ProblemErrorController();
        }

        /** Before Spring Security and everything else: a body too large is refused before anything reads it. */
        @Bean
        FilterRegistrationBean<RequestBodyLimit> requestBodyLimit(RequestBodyProperties properties) {
            FilterRegistrationBean<RequestBodyLimit> registration =
                    new FilterRegistrationBean<>(new RequestBodyLimit(properties));
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            return registration;
        }

        @Bean
        WebMvcConfigurer problemRecoveryWatchers(ObjectProvider<ProblemExceptionHandler> handlers) {
            return new WebMvcConfigurer() {
                @Override
                public void addInterceptors(InterceptorRegistry registry) {
                    handlers.orderedStream().forEach(handler -> registry.addInterceptor(handler.recoveryWatcher()));
                }
            };
        }
    }
}
