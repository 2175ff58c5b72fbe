package org.erpchat.message.outbox;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The outbox relay.
 *
 * @param enabled run the relay in this instance (several instances may run it: they take turns, order is kept)
 * @param batchSize how many of the oldest entries one relay transaction locks, publishes and deletes
 * @param pollInterval how often the relay looks for entries when nothing woke it (a send that commits wakes it at
 *     once; this catches entries written by other instances)
 * @param initialBackoff the wait after a failed batch (Kafka unreachable); doubled after each further failure
 * @param maxBackoff the longest wait between retries of a failing batch
 * @param ackTimeout how long the relay waits for Kafka to acknowledge a batch before giving up on it; keep it above
 *     the producer's {@code delivery.timeout.ms}
 */
@Validated
@ConfigurationProperties("chat.message.outbox")
record OutboxProperties(
        @DefaultValue("true") boolean enabled,
        @Min(1) @Max(10_000) @DefaultValue("200") int batchSize,
        @NotNull @DefaultValue("500ms") Duration pollInterval,
        @NotNull @DefaultValue("200ms") Duration initialBackoff,
        @NotNull @DefaultValue("10s") Duration maxBackoff,
        @NotNull @DefaultValue("30s") Duration ackTimeout) {}
