package org.erpchat.support.web;

import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * In services that publish an OpenAPI document (springdoc on the classpath): the problem responses of every operation,
 * and references that mean what they say in OpenAPI 3.1.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(OperationCustomizer.class)
public class ChatOpenApiAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ProblemApiDocs problemApiDocs() {
        return new ProblemApiDocs();
    }

    @Bean
    @ConditionalOnMissingBean
    ReferenceSchemas referenceSchemas() {
        return new ReferenceSchemas();
    }
}
