package org.erpchat.presence.sweep;

import org.erpchat.presence.PresenceMetrics;
import org.erpchat.presence.PresenceProperties;
import org.erpchat.support.outbox.OutboxRelay;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/** Schedules the sweeper with a fixed delay of {@code chat.presence.sweep-interval}. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SweepConfiguration implements SchedulingConfigurer {

    private final Sweeper sweeper;
    private final PresenceProperties properties;

    SweepConfiguration(
            StateSweeper state,
            OutboxRelay relay,
            PresenceMetrics metrics,
            KafkaReachability kafka,
            PresenceProperties properties) {
        this.sweeper = new Sweeper(
                state, relay, metrics, kafka, properties.kafkaProbe().localOutageHold());
        this.properties = properties;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(sweeper, properties.sweepInterval());
    }
}
