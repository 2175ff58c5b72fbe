package org.erpchat.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/** {@code chat.gateway.*} settings that would break every send fail at startup instead. */
class GatewayPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(GatewayProperties.class)
    static class Config {}

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Config.class);

    @Test
    void anInstanceIdLongerThanASendsOriginMayCarryIsRefused() {
        runner.withPropertyValues("chat.gateway.instance-id=" + "g".repeat(1_001))
                .run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("chat.gateway.instance-id=" + "g".repeat(1_000))
                .run(context -> assertThat(context).hasNotFailed());
    }
}
