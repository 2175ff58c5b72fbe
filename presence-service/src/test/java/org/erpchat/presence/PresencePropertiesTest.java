package org.erpchat.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/** {@code chat.presence.*}: the defaults, and settings that would break the guarantees fail at startup. */
class PresencePropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(PresenceProperties.class)
    static class Config {}

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Config.class);

    @Test
    void defaults() {
        runner.run(context -> {
            PresenceProperties properties = context.getBean(PresenceProperties.class);
            assertThat(properties.sessionTtl()).isEqualTo(Duration.ofSeconds(45));
            assertThat(properties.sweepInterval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(properties.typingTtl()).isEqualTo(Duration.ofSeconds(10));
            assertThat(properties.offlineGrace()).isEqualTo(Duration.ofSeconds(5));
            assertThat(properties.maxQuerySize()).isEqualTo(1000);
            assertThat(properties.outbox().pollInterval()).isEqualTo(Duration.ofMillis(100));
            assertThat(properties.kafkaProbe().localOutageHold()).isEqualTo(Duration.ofSeconds(90));
            assertThat(properties.onlineKeyTtl()).isGreaterThan(properties.sessionTtl());
        });
    }

    @Test
    void aSessionTtlAboveOneMinuteIsRefused() {
        runner.withPropertyValues("chat.presence.session-ttl=61s")
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void closedSessionsMustBeRememberedLongerThanASessionLives() {
        runner.withPropertyValues("chat.presence.session-ttl=30s", "chat.presence.closed-session-retention=20s")
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void theSweepMustRunSeveralTimesPerSessionTtl() {
        runner.withPropertyValues("chat.presence.session-ttl=20s", "chat.presence.sweep-interval=10s")
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void theOutboxLeaseMustOutliveASend() {
        runner.withPropertyValues("chat.presence.outbox.lease-time=5s", "chat.presence.outbox.send-timeout=5s")
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void theLocalOutageHoldMustOutlastNoticingAnOutageOfTheWholeCluster() {
        // 1 s + 2 s + 3 x 1 s: the default probe and sweep.
        runner.withPropertyValues("chat.presence.kafka-probe.local-outage-hold=6s")
                .run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("chat.presence.kafka-probe.local-outage-hold=7s")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aQueryLimitBelowWhatAGatewayAsksInOneCallIsRefused() {
        runner.withPropertyValues("chat.presence.max-query-size=499")
                .run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("chat.presence.max-query-size=500")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aZeroGraceIsAllowed() {
        runner.withPropertyValues("chat.presence.offline-grace=0s")
                .run(context -> assertThat(
                                context.getBean(PresenceProperties.class).offlineGrace())
                        .isZero());
    }
}
