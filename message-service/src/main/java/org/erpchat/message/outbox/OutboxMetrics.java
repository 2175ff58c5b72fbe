package org.erpchat.message.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Gauges for alerting on a stuck relay: how many entries wait, and how long the oldest has waited. Read from the
 * database when scraped, so they are right whichever instance publishes.
 */
@Component
class OutboxMetrics {

    private final OutboxEventRepository outbox;
    private final Clock clock;

    OutboxMetrics(OutboxEventRepository outbox, Clock clock, MeterRegistry meters) {
        this.outbox = outbox;
        this.clock = clock;
        Gauge.builder("chat.outbox.backlog", this, OutboxMetrics::backlog)
                .description("Outbox entries not yet published to Kafka")
                .register(meters);
        TimeGauge.builder("chat.outbox.oldest.age", this, TimeUnit.MILLISECONDS, OutboxMetrics::oldestAgeMillis)
                .description("How long the oldest unpublished outbox entry has waited (0 when empty)")
                .register(meters);
    }

    double backlog() {
        return outbox.count();
    }

    double oldestAgeMillis() {
        return outbox.findFirstByOrderByIdAsc()
                .map(entry -> (double) Math.max(
                        0, Duration.between(entry.createdAt(), clock.instant()).toMillis()))
                .orElse(0.0);
    }
}
