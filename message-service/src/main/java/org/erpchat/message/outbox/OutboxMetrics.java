package org.erpchat.message.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.TimeUnit;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Gauges for alerting on a stuck relay: how many entries wait, and how long the oldest has waited. Read from the
 * database when scraped, so they are right whichever instance publishes.
 */
@Component
class OutboxMetrics {

    private final JdbcClient jdbc;
    private final Clock clock;

    OutboxMetrics(JdbcClient jdbc, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.clock = clock;
        Gauge.builder("chat.outbox.backlog", this, OutboxMetrics::backlog)
                .description("Outbox entries not yet published to Kafka")
                .register(meters);
        TimeGauge.builder("chat.outbox.oldest.age", this, TimeUnit.MILLISECONDS, OutboxMetrics::oldestAgeMillis)
                .description("How long the oldest unpublished outbox entry has waited (0 when empty)")
                .register(meters);
    }

    double backlog() {
        return jdbc.sql("SELECT count(*) FROM outbox_event").query(Long.class).single();
    }

    /** The entry that has waited longest (ids grow with time). */
    double oldestAgeMillis() {
        return jdbc.sql("SELECT created_at FROM outbox_event ORDER BY id LIMIT 1")
                .query(OffsetDateTime.class)
                .optional()
                .map(createdAt -> (double) Math.max(
                        0,
                        Duration.between(createdAt.toInstant(), clock.instant()).toMillis()))
                .orElse(0.0);
    }
}
