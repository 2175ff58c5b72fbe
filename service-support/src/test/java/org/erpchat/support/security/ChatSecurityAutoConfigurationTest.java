package org.erpchat.support.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.security.config.observation.SecurityObservationSettings;

class ChatSecurityAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ChatSecurityAutoConfiguration.class))
            .withPropertyValues("chat.security.jwt.secret=" + "s".repeat(32));

    @Test
    void securityObservationsSwitchedOffLeaveNothingWrappedInObservations() {
        runner.withPropertyValues("management.observations.enable.spring.security=false")
                .run(context -> {
                    SecurityObservationSettings settings = context.getBean(SecurityObservationSettings.class);
                    assertThat(settings.shouldObserveRequests()).isFalse();
                    assertThat(settings.shouldObserveAuthentications()).isFalse();
                    assertThat(settings.shouldObserveAuthorizations()).isFalse();
                });
    }

    @Test
    void securityObservationsLeftOnKeepSpringSecuritysOwnSettings() {
        runner.run(context -> assertThat(context).doesNotHaveBean(SecurityObservationSettings.class));
    }

    @Test
    void aKeyServerTimeoutOfZeroWhichWouldMeanNoLimitStopsTheStart() {
        runner.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
                .withPropertyValues("chat.security.jwt.key-server-timeout=0s")
                .run(context ->
                        assertThat(context).hasFailed().getFailure().hasStackTraceContaining("keyServerTimeout"));
        runner.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
                .withPropertyValues("chat.security.jwt.key-server-timeout=2s")
                .run(context -> assertThat(context.getBean(JwtProperties.class).keyServerTimeout())
                        .hasSeconds(2));
    }
}
