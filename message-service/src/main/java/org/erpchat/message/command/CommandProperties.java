package org.erpchat.message.command;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How send commands that fail for a transient reason are retried (docs/message-service.md, "Commands").
 *
 * @param inlineRetry how long a failing command may be retried in place, holding up the commands behind it on its
 *     lane, before it is parked (one attempt always happens, and may itself take up to the send transaction's
 *     lock or statement timeout)
 * @param retryBackoff the first wait before a parked sender's commands are retried; doubles after each failure
 * @param maxRetryBackoff the longest wait between retries of a parked sender
 * @param maxParked commands parked in this instance beyond which it stops taking commands from Kafka (the database is
 *     failing for many senders); it resumes when half of them have drained
 * @param lanes threads storing commands; a sender's commands all run on one, in order, while the others store other
 *     senders' commands at the same time. Few on purpose: a lane's batches grow with its load (one commit, one WAL
 *     flush, for all that queued), while every lane more is one more transaction that may wait for a conversation row
 *     another lane holds (a group's senders are on different lanes); with 16 lanes those waits made most of a send's
 *     latency under load (docs/benchmarks.md section 7, step 23). Each holds a database connection while it stores
 *     (keep {@code spring.datasource.hikari.maximum-pool-size} above it)
 * @param maxBatch the most commands a lane stores in one transaction: the commands that queued on it while it stored
 *     the previous ones, when none of them needs special care (docs/message-service.md, "Commands")
 * @param commitInterval how often the offsets of finished commands are committed; zero commits after every poll. A
 *     crash redelivers the commands of up to this long before it, which are stored already and answered again as
 *     repeats (idempotent by {@code client_msg_id}); a partition that is revoked commits first
 */
@Validated
@ConfigurationProperties("chat.message.commands")
record CommandProperties(
        @NotNull @DefaultValue("1s") Duration inlineRetry,
        @NotNull @DefaultValue("200ms") Duration retryBackoff,
        @NotNull @DefaultValue("5s") Duration maxRetryBackoff,
        @Min(1) @DefaultValue("1000") int maxParked,
        @Min(1) @Max(256) @DefaultValue("2") int lanes,
        @Min(1) @Max(1000) @DefaultValue("64") int maxBatch,

        @NotNull @DurationMin(millis = 0) @DurationMax(minutes = 1) @DefaultValue("1s")
        Duration commitInterval) {

    boolean pacesCommits() {
        return !commitInterval.isZero() && !commitInterval.isNegative();
    }
}
