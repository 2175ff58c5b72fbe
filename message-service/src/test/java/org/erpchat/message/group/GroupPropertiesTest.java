package org.erpchat.message.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/** {@code chat.message.groups.*}: the defaults of the creation bound and the list's pages, and settings refused. */
class GroupPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({GroupProperties.class, GroupListProperties.class})
    static class Config {}

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Config.class);

    @Test
    void defaults() {
        runner.run(context -> {
            GroupProperties groups = context.getBean(GroupProperties.class);
            assertThat(groups.maxCreations()).isEqualTo(100);
            assertThat(groups.creationWindow()).isEqualTo(Duration.ofHours(1));
            GroupListProperties list = context.getBean(GroupListProperties.class);
            assertThat(list.defaultLimit()).isEqualTo(20);
            assertThat(list.maxLimit()).isEqualTo(100);
        });
    }

    @Test
    void aBoundOfNoCreationsOrNoWindowIsRefused() {
        runner.withPropertyValues("chat.message.groups.max-creations=0")
                .run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("chat.message.groups.creation-window=0s")
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void theDefaultPageMustFitTheLargest() {
        runner.withPropertyValues("chat.message.groups.list.default-limit=200")
                .run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues(
                        "chat.message.groups.list.default-limit=200", "chat.message.groups.list.max-limit=200")
                .run(context -> assertThat(context).hasNotFailed());
    }
}
