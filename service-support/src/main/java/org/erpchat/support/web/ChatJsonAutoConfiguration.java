package org.erpchat.support.web;

import org.erpchat.events.StrictJsonTypes;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * The application's JSON mapper (the one Spring MVC reads request bodies with) refuses values of the wrong type:
 * {@link StrictJsonTypes}. Done here once for every service.
 */
@AutoConfiguration
@ConditionalOnClass(JsonMapperBuilderCustomizer.class)
public class ChatJsonAutoConfiguration {

    @Bean
    JsonMapperBuilderCustomizer strictJsonTypes() {
        return StrictJsonTypes::apply;
    }
}
