package org.erpchat.message.ratelimit;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The per-user send rate limit: a token bucket per user, kept in Redis so that every instance draws from the same one.
 * The defaults allow a burst of 20 sends and 10 a second after that.
 *
 * @param enabled whether sends are limited at all
 * @param capacity the most sends a user can make in a burst (the bucket size)
 * @param refillTokens how many sends are given back every {@code refillPeriod}, spread evenly over it
 * @param refillPeriod see {@code refillTokens}
 * @param maxCommandAge a command is judged at the time the gateway accepted it, but never earlier than this before
 *     now (a bound on how far back a gateway's clock is trusted)
 * @param redisTimeout how long one Redis command may take before the limiter gives up and lets the send through
 * @param connectTimeout how long connecting to Redis may take; connecting happens at startup and in the background,
 *     never while a send waits
 * @param reconnectInterval after Redis could not be reached at all, how long to wait before connecting again (sends
 *     go through unchecked meanwhile)
 * @param warnInterval at most one warning per this interval while Redis is unreachable (each miss is counted)
 * @param keyPrefix prefix of the Redis keys holding the buckets; the user id follows it
 * @param rememberedRefusals how many users an instance remembers having just refused, each until its bucket has a
 *     send again; their sends meanwhile are refused without Redis and without a transaction (0: none)
 */
@Validated
@ConfigurationProperties("chat.message.rate-limit")
record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @Min(1) @DefaultValue("20") long capacity,
        @Min(1) @DefaultValue("10") long refillTokens,
        @NotNull @DefaultValue("1s") Duration refillPeriod,
        @NotNull @DefaultValue("10m") Duration maxCommandAge,
        @NotNull @DefaultValue("500ms") Duration redisTimeout,
        @NotNull @DefaultValue("5s") Duration connectTimeout,
        @NotNull @DefaultValue("5s") Duration reconnectInterval,
        @NotNull @DefaultValue("1m") Duration warnInterval,
        @NotBlank @DefaultValue("chat:send-rate:") String keyPrefix,
        @Min(0) @DefaultValue("100000") int rememberedRefusals) {}
