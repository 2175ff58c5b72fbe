package org.erpchat.presence;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
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
 * How presence-service keeps online and typing state ({@code chat.presence.*}). See docs/presence-service.md.
 *
 * @param sessionTtl how long a session stays alive without news from its gateway (an open or a heartbeat listing
 *     it). Must comfortably exceed the gateways' heartbeat period (10 s by default) and is at most 60 s, so that a
 *     killed gateway's users go offline within a minute.
 * @param sweepInterval how often each instance looks for expired sessions, typing and pending offlines. A killed
 *     gateway's users go offline within {@code sessionTtl + sweepInterval}, and a typing indicator that is not
 *     repeated ends within {@code typingTtl + sweepInterval}. A sweep that finds nothing is one cheap script call.
 * @param sweepBatchSize the most expired items of each kind one sweep script handles; a sweep repeats the script until
 *     it finds fewer, so this only bounds how long Redis is busy with one script
 * @param typingTtl how long a typing indicator lasts without a repeat (the seed's 10 s)
 * @param offlineGrace how long the offline announcement waits after a user's last session closed; a session opening
 *     within it (a page reload, a tab switch) cancels it without any event. 0 announces offline at once.
 * @param closedSessionRetention how long a closed session id is remembered, so that an open or heartbeat arriving
 *     after the close (out of order, duplicated) cannot bring the session back
 * @param rebuildWindow after Redis lost its data, how long state counts as incomplete while gateways re-list their
 *     sessions: users restored from heartbeats in this window come back silently (no false "online")
 * @param maxQuerySize the most user ids one {@code POST /api/presence/query} may ask about; at least 500, the ids a
 *     gateway asks about in one call (its {@code StatusLookups}), which a smaller limit would refuse every time
 * @param outbox how transitions recorded in Redis are published to Kafka
 * @param kafkaProbe how this instance checks that it can reach Kafka: while it cannot, it cannot hear the gateways'
 *     heartbeats either, so no session expires and no pending offline is announced, for as long as no other instance
 *     reaches Kafka, and otherwise for at most {@code kafka-probe.local-outage-hold}
 */
@Validated
@ConfigurationProperties("chat.presence")
public record PresenceProperties(
        @NotNull @DurationMin(millis = 500) @DurationMax(seconds = 60) @DefaultValue("45s")
        Duration sessionTtl,

        @NotNull @DurationMin(millis = 50) @DefaultValue("1s")
        Duration sweepInterval,

        @Min(1) @Max(10_000) @DefaultValue("500") int sweepBatchSize,

        @NotNull @DurationMin(millis = 100) @DefaultValue("10s")
        Duration typingTtl,

        @NotNull @DurationMin(millis = 0) @DurationMax(seconds = 60) @DefaultValue("5s")
        Duration offlineGrace,

        @NotNull @DurationMin(seconds = 1) @DefaultValue("10m")
        Duration closedSessionRetention,

        @NotNull @DurationMin(millis = 0) @DefaultValue("45s")
        Duration rebuildWindow,

        @Min(500) @Max(10_000) @DefaultValue("1000") int maxQuerySize,
        @NotNull @Valid @DefaultValue Outbox outbox,
        @NotNull @Valid @DefaultValue KafkaProbe kafkaProbe) {

    /**
     * @param interval how often the cluster is probed (a metadata request)
     * @param timeout a probe not answered within this counts as "Kafka unreachable"
     * @param localOutageHold how long, at most, an instance that cannot reach Kafka holds session expiry and pending
     *     offlines for every instance while another instance does reach it (counted from when both became true). Its
     *     consumers drop out of the group after their {@code session.timeout.ms} (10 s, application.yml) and their partitions move to instances that hear the gateways; keep it above that plus
     *     a rebalance. While no instance reaches Kafka, the hold lasts as long as the outage.
     */
    public record KafkaProbe(
            @NotNull @DurationMin(millis = 50) @DefaultValue("1s")
            Duration interval,

            @NotNull @DurationMin(millis = 100) @DefaultValue("2s")
            Duration timeout,

            @NotNull @DurationMin(seconds = 1) @DefaultValue("90s")
            Duration localOutageHold) {}

    /**
     * @param pollInterval how often the relay looks for transitions recorded by other instances (its own wake it at
     *     once)
     * @param batchSize the most events published per round trip
     * @param leaseTime how long the relay's lease lasts without renewal; another instance takes over this long after
     *     the relay died. Longer than {@code sendTimeout}, and than the producer's {@code max.block.ms} plus its
     *     {@code delivery.timeout.ms} (a send may block that long for metadata before its delivery timeout starts;
     *     checked at startup, Kafka's defaults of 60 s and 120 s when unset), so that a relay that lost its lease has
     *     no send left in flight when the next one starts (two publishers at once could interleave a user's events).
     * @param sendTimeout how long the relay waits for Kafka to acknowledge a batch before sending it again
     * @param initialBackoff the wait after a failed batch (Kafka or Redis unreachable); doubled after each further
     *     failure
     * @param maxBackoff the longest wait between retries of a failing batch
     * @param maxLength the outbox's approximate cap while Kafka is unreachable; beyond it the oldest events are
     *     dropped unpublished, counted ({@code chat_presence_outbox_trimmed_total}) and logged once per outage
     */
    public record Outbox(
            @NotNull @DurationMin(millis = 10) @DefaultValue("100ms")
            Duration pollInterval,

            @Min(1) @Max(10_000) @DefaultValue("500") int batchSize,

            @NotNull @DurationMin(seconds = 1) @DefaultValue("10s")
            Duration leaseTime,

            @NotNull @DurationMin(millis = 100) @DefaultValue("5s")
            Duration sendTimeout,

            @NotNull @DurationMin(millis = 10) @DefaultValue("200ms")
            Duration initialBackoff,

            @NotNull @DurationMin(millis = 10) @DefaultValue("5s")
            Duration maxBackoff,

            @Min(1000) @DefaultValue("100000") long maxLength) {

        @AssertTrue(message = "outbox.send-timeout must be shorter than outbox.lease-time")
        public boolean isSendTimeoutShorterThanLease() {
            return sendTimeout == null || leaseTime == null || sendTimeout.compareTo(leaseTime) < 0;
        }
    }

    /** The seed-compatible {@code user:online:<id>} key outlives the sessions behind it; this is its safety-net TTL. */
    public Duration onlineKeyTtl() {
        return sessionTtl.multipliedBy(2).plus(sweepInterval);
    }

    /** A sweep gap of half a session TTL means every instance was paused (see sweep.lua); normal sweeps must not. */
    @AssertTrue(message = "sweep-interval must be at most a quarter of session-ttl")
    public boolean isSweepIntervalShortEnough() {
        return sweepInterval == null
                || sessionTtl == null
                || sweepInterval.multipliedBy(4).compareTo(sessionTtl) <= 0;
    }

    /** A frozen Kafka must be noticed well before the sessions it can no longer refresh expire. */
    @AssertTrue(message = "kafka-probe.interval plus kafka-probe.timeout must be shorter than half of session-ttl")
    public boolean isKafkaProbeFastEnough() {
        return kafkaProbe == null
                || sessionTtl == null
                || kafkaProbe
                                .interval()
                                .plus(kafkaProbe.timeout())
                                .multipliedBy(2)
                                .compareTo(sessionTtl)
                        < 0;
    }

    /**
     * An outage of the whole cluster must be noticed by every instance, and the marks of those that reached Kafka
     * before it must lapse (three sweeps), before the hold of an instance that lost Kafka a moment earlier could end.
     */
    @AssertTrue(
            message = "kafka-probe.local-outage-hold must be longer than kafka-probe.interval plus kafka-probe.timeout"
                    + " plus three sweep-interval")
    public boolean isLocalOutageHoldLongerThanAnOutageTakesToNotice() {
        return kafkaProbe == null
                || sweepInterval == null
                || kafkaProbe.localOutageHold() == null
                || kafkaProbe.interval() == null
                || kafkaProbe.timeout() == null
                || kafkaProbe
                                .interval()
                                .plus(kafkaProbe.timeout())
                                .plus(sweepInterval.multipliedBy(3))
                                .compareTo(kafkaProbe.localOutageHold())
                        < 0;
    }

    @AssertTrue(message = "closed-session-retention must be longer than session-ttl")
    public boolean isClosedSessionRetentionLongerThanSessionTtl() {
        return closedSessionRetention == null || sessionTtl == null || closedSessionRetention.compareTo(sessionTtl) > 0;
    }
}
