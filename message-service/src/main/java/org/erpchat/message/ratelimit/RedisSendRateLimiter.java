package org.erpchat.message.ratelimit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.stereotype.Component;

/**
 * Bucket4j token buckets in Redis (compare-and-swap over Lettuce), one per user. Redis is an optimisation here, not a
 * dependency: when it cannot be reached the limiter <em>fails open</em> (the send goes ahead), counts
 * {@code chat.ratelimit.unavailable} and warns at most once per {@code warn-interval}. Sends never fail because the
 * limiter is down. The limiter has its own Lettuce client with a short command timeout and commands rejected at once
 * while disconnected, so a dead Redis costs a send milliseconds, not the 60 s Lettuce would wait by default.
 */
@Component
class RedisSendRateLimiter implements SendRateLimiter, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RedisSendRateLimiter.class);

    private final RateLimitProperties properties;
    private final RedisClient client;
    private final BucketConfiguration bucket;
    private final Counter limited;
    private final Counter unavailable;
    private final AtomicLong lastWarning = new AtomicLong();
    private final Object connectLock = new Object();
    private volatile ProxyManager<byte[]> buckets;
    private volatile StatefulRedisConnection<byte[], byte[]> connection;
    private volatile long nextConnectAttempt;

    RedisSendRateLimiter(RateLimitProperties properties, DataRedisConnectionDetails redis, MeterRegistry meters) {
        this.properties = properties;
        this.client = RedisClient.create(redisUri(redis, properties.redisTimeout()));
        this.client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(properties.redisTimeout()))
                .build());
        this.bucket = BucketConfiguration.builder()
                .addLimit(Bandwidth.builder()
                        .capacity(properties.capacity())
                        .refillGreedy(properties.refillTokens(), properties.refillPeriod())
                        .build())
                .build();
        this.limited = Counter.builder("chat.messages.rate_limited")
                .description("Sends refused by the per-user rate limit")
                .register(meters);
        this.unavailable = Counter.builder("chat.ratelimit.unavailable")
                .description("Sends let through unchecked because Redis could not be reached")
                .register(meters);
    }

    @Override
    public Decision tryAcquire(long userId) {
        if (!properties.enabled()) {
            return Decision.ALLOWED;
        }
        try {
            ProxyManager<byte[]> manager = buckets();
            if (manager == null) {
                return failOpen(null);
            }
            ConsumptionProbe probe =
                    manager.builder().build(key(userId), () -> bucket).tryConsumeAndReturnRemaining(1);
            if (probe.isConsumed()) {
                return Decision.ALLOWED;
            }
            limited.increment();
            return Decision.refused(Duration.ofNanos(probe.getNanosToWaitForRefill()));
        } catch (RuntimeException e) {
            return failOpen(e);
        }
    }

    /** Whether the limiter currently reaches Redis (for tests and diagnostics). */
    boolean connected() {
        StatefulRedisConnection<byte[], byte[]> current = connection;
        return current != null && current.isOpen();
    }

    private ProxyManager<byte[]> buckets() {
        ProxyManager<byte[]> current = buckets;
        if (current != null) {
            return current;
        }
        synchronized (connectLock) {
            if (buckets == null && System.currentTimeMillis() >= nextConnectAttempt) {
                try {
                    connection = client.connect(ByteArrayCodec.INSTANCE);
                    buckets = Bucket4jLettuce.casBasedBuilder(connection)
                            .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                                    Duration.ofSeconds(10)))
                            .requestTimeout(properties.redisTimeout())
                            .build();
                } catch (RuntimeException e) {
                    // Lettuce reconnects an established connection by itself; only the first connect needs this.
                    nextConnectAttempt = System.currentTimeMillis()
                            + properties.reconnectInterval().toMillis();
                    throw e;
                }
            }
            return buckets;
        }
    }

    private Decision failOpen(RuntimeException cause) {
        unavailable.increment();
        long now = System.currentTimeMillis();
        long last = lastWarning.get();
        if (now - last >= properties.warnInterval().toMillis() && lastWarning.compareAndSet(last, now)) {
            log.warn(
                    "Send rate limit not enforced: Redis unreachable ({}). Sends go through unchecked;"
                            + " see metric chat.ratelimit.unavailable",
                    cause == null ? "not connected" : cause.getMessage());
        }
        return Decision.ALLOWED;
    }

    private byte[] key(long userId) {
        return (properties.keyPrefix() + userId).getBytes(StandardCharsets.UTF_8);
    }

    private static RedisURI redisUri(DataRedisConnectionDetails redis, Duration timeout) {
        DataRedisConnectionDetails.Standalone standalone = redis.getStandalone();
        if (standalone == null) {
            throw new IllegalStateException(
                    "The send rate limiter supports a standalone Redis only (spring.data.redis.host/port)");
        }
        RedisURI.Builder uri = RedisURI.builder()
                .withHost(standalone.getHost())
                .withPort(standalone.getPort())
                .withDatabase(standalone.getDatabase())
                .withTimeout(timeout);
        if (redis.getPassword() != null) {
            if (redis.getUsername() != null) {
                uri.withAuthentication(redis.getUsername(), redis.getPassword());
            } else {
                uri.withPassword(redis.getPassword().toCharArray());
            }
        }
        if (redis.getSslBundle() != null) {
            uri.withSsl(true);
        }
        return uri.build();
    }

    @Override
    public void destroy() {
        StatefulRedisConnection<byte[], byte[]> current = connection;
        if (current != null) {
            current.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
