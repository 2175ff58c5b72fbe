package org.erpchat.support.web;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Spring Boot defaults that do not suit an API whose bodies are JSON and whose requests are authenticated first, set
 * as default properties (the lowest precedence: any configuration still wins).
 *
 * <ul>
 *   <li>{@code spring.mvc.formcontent.filter.enabled=false}: Boot's {@code FormContentFilter} parses form bodies of
 *       PUT, PATCH and DELETE requests ahead of Spring Security, so anyone without a token could make the service read
 *       a body: a malformed one became a 500 with an ERROR in the log, a slow one held a request thread. No endpoint
 *       takes a form.
 *   <li>{@code spring.servlet.multipart.enabled=false}: with it on, Spring MVC parses the body of every request whose
 *       {@code Content-Type} says multipart, whatever its method and before any handler looks at it, so a malformed
 *       one (no boundary) turned any request, a GET too, into a 500 with an ERROR in the log. No endpoint takes
 *       multipart: such a body is now left unread, and an endpoint that takes a body refuses it like any other that
 *       is not JSON (415).
 *   <li>Spring Boot's {@code WelcomePageHandlerMapping} at ERROR: it logs a WARN for every request whose {@code Accept}
 *       header it cannot parse, which any client can send as often as it likes (bad input is not logged).
 * </ul>
 */
public class ChatWebDefaults implements EnvironmentPostProcessor {

    static final Map<String, Object> DEFAULTS = Map.of(
            "spring.mvc.formcontent.filter.enabled",
            "false",
            "spring.servlet.multipart.enabled",
            "false",
            "logging.level.org.springframework.boot.webmvc.autoconfigure.WelcomePageHandlerMapping",
            "error");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        DefaultPropertiesPropertySource.addOrMerge(DEFAULTS, environment.getPropertySources());
    }
}
