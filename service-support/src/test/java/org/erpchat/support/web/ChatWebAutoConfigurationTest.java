package org.erpchat.support.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.servlet.handler.HandlerMappingIntrospector;

class ChatWebAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ChatWebAutoConfiguration.class))
            // Spring MVC always defines this one, and it is a CorsConfigurationSource as well.
            .withBean("mvcHandlerMappingIntrospector", HandlerMappingIntrospector.class);

    @Test
    void configuredOriginsMayCallTheApiWithABearerTokenEvenNextToSpringMvc() {
        runner.withPropertyValues("chat.web.cors.allowed-origins=http://localhost:8080")
                .run(context -> {
                    CorsConfiguration cors = context.getBean("corsConfigurationSource", CorsConfigurationSource.class)
                            .getCorsConfiguration(new MockHttpServletRequest("OPTIONS", "/api/conversations"));

                    assertThat(cors).isNotNull();
                    assertThat(cors.getAllowedOrigins()).containsExactly("http://localhost:8080");
                    assertThat(cors.getAllowedHeaders()).contains("Authorization", "Content-Type");
                    assertThat(cors.getAllowedMethods()).contains("GET", "POST", "OPTIONS");
                });
    }

    @Test
    void withoutConfiguredOriginsNoCrossOriginCallIsAllowed() {
        runner.run(context -> assertThat(context.getBean("corsConfigurationSource", CorsConfigurationSource.class)
                        .getCorsConfiguration(new MockHttpServletRequest("GET", "/api/conversations")))
                .isNull());
    }
}
