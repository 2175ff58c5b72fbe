package org.erpchat.support.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * CORS for the REST API, from {@link CorsProperties}, with a refused cross-origin request answered as a problem
 * detail, and the error page as a problem detail in every servlet service. In services that answer with problem
 * details (they declare a {@link ProblemExceptionHandler}): on Tomcat, the container's own error report as problem
 * details too, the watcher that ends an outage in the handler's log, the request body limit
 * ({@link RequestBodyProperties}), and successes never labelled problems ({@link SuccessContentType}).
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

    /**
     * What Spring Security's {@code cors()} uses (it looks for this name first): the configuration above, and a refusal
     * written as a problem detail instead of Spring's plain-text "Invalid CORS request".
     */
    @Bean
    @ConditionalOnMissingBean(name = "corsFilter")
    CorsFilter corsFilter(@Qualifier("corsConfigurationSource") CorsConfigurationSource corsConfigurationSource) {
        CorsFilter filter = new CorsFilter(corsConfigurationSource);
        filter.setCorsProcessor(new ProblemCorsProcessor());
        return filter;
    }

    /** The filter runs inside Spring Security's chain, not a second time as a servlet filter of its own. */
    @Bean
    FilterRegistrationBean<CorsFilter> corsFilterRegistration(@Qualifier("corsFilter") CorsFilter corsFilter) {
        FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(corsFilter);
        registration.setEnabled(false);
        return registration;
    }

    /** Spring's CORS checks, with a refusal in the API's own form. */
    static final class ProblemCorsProcessor extends DefaultCorsProcessor {

        static final String BODY = "{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,"
                + "\"detail\":\"This origin may not call the API\",\"code\":\"" + ProblemCodes.forStatus(403) + "\"}";

        @Override
        protected void rejectRequest(ServerHttpResponse response) throws IOException {
            response.setStatusCode(HttpStatus.FORBIDDEN);
            response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
            response.getBody().write(BODY.getBytes(StandardCharsets.UTF_8));
            response.flush();
        }
    }

    /** Tomcat's error report (what it refuses before the application sees it) as a problem detail. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(
            name = {
                "org.apache.catalina.valves.ErrorReportValve",
                "org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory"
            })
    @ConditionalOnBean(ProblemExceptionHandler.class)
    static class TomcatProblems {

        @Bean
        WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> problemErrorReports() {
            // After Spring Boot's own customizer, which adds Tomcat's HTML report to the host: this one replaces it.
            return factory -> factory.addContextCustomizers(ProblemErrorReportValve::replaceIn);
        }

        @Bean
        WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> abandonedBodies() {
            return factory -> factory.addContextCustomizers(AbandonedBodyValve::addTo);
        }

        // After Spring Boot's own customizer, which sets server.tomcat.connection-timeout: the wait is never longer.
        @Bean
        WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> stalledBodies(RequestBodyProperties properties) {
            return factory -> factory.addConnectorCustomizers(
                    connector -> StalledBodies.limit(connector, properties.readTimeout()));
        }
    }

    /**
     * The error page as a problem detail in every servlet service, the gateway too (whose REST endpoints are few and
     * which declares no {@link ProblemExceptionHandler}): an unknown path or a request the container refused is
     * answered in the form every other refusal takes.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({WebMvcConfigurer.class, ErrorController.class})
    static class ProblemErrorPage {

        // Spring Boot's own error controller backs off when there is one.
        @Bean
        @ConditionalOnMissingBean(ErrorController.class)
        ProblemErrorController problemErrorController() {
            return new ProblemErrorController();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({WebMvcConfigurer.class, ErrorController.class})
    @ConditionalOnBean(ProblemExceptionHandler.class)
    static class ProblemHandling {

        /** Before Spring Security and everything else: a body too large is refused before anything reads it. */
        @Bean
        FilterRegistrationBean<RequestBodyLimit> requestBodyLimit(RequestBodyProperties properties) {
            FilterRegistrationBean<RequestBodyLimit> registration =
                    new FilterRegistrationBean<>(new RequestBodyLimit(properties));
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            return registration;
        }

        @Bean
        SuccessContentType successContentType() {
            return new SuccessContentType();
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

        /**
         * Before a controller runs: integers in paths and queries are digits only, in every service
         * ({@code /api/presence/+5} is 400, as in message-service), and a request that takes no JSON is 406 before
         * anything is done.
         */
        @Bean
        WebMvcConfigurer apiRequestChecks() {
            return new WebMvcConfigurer() {
                @Override
                public void addInterceptors(InterceptorRegistry registry) {
                    registry.addInterceptor(new AcceptsJson()).addPathPatterns("/api/**");
                    registry.addInterceptor(new IntegerParameters()).addPathPatterns("/api/**");
                }
            };
        }
    }
}
