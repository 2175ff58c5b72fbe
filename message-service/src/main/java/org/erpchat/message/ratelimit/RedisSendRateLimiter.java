package org.erpchat.message.ratelimit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.stereotype.Component;

/**
 * Bucket4j token buckets in Redis (compare-and-swap over Lettuce), one per user. Redis is an optimisation here, not a
 * dependency: when it cannot be reached the limiter <em>fails open</em> (the send goes ahead), counts
 * {@code chat.ratelimit.unavailable} and warns at most once per {@code warn-interval}. Sends never fail because the
 * limiter is down.
 *
 * <p><b>Time.</b> A bucket is evaluated at the time the user sent ({@link #tryAcquire}), so each call gets a proxy
 * manager whose client-side clock stands still at that instant (a few small objects; the connection is shared).
 * Bucket4j never moves a bucket's clock backwards: a send judged at a time before the bucket's last refill gets no
 * refill, it only spends what is there.
 *
 * <p><b>Startup and timeouts.</b> The connection is made, and the bucket code paths warmed up with a few real
 * operations, before the web server and the Kafka listeners start ({@link #afterSingletonsInstantiated}), never while
 * a send waits; if Redis is unreachable then, a background thread keeps trying. Each Redis command is bounded by
 * {@code redis-timeout} (Lettuce's command timeout; commands are rejected at once while disconnected). Bucket4j's own
 * {@code requestTimeout} is deliberately not used: it is one budget for the whole compare-and-swap operation (GET,
 * the bucket arithmetic on this JVM, EVAL, CAS retries), so in a cold JVM the client-side work used up the 500 ms and
 * the EVAL was left a few milliseconds ("Violated timeout while waiting for redis future for 6000000ns"): the
 * limiter failed open while Redis was healthy.
 */
@Component
class RedisSendRateLimiter implements SendRateLimiter, SmartInitializingSingleton, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RedisSendRateLimiter.class);

    /** Enough to load and compile what a send runs (first and later writes of a bucket, a refund). */
    private static final int WARM_UP_ROUNDS = 10;

    private final RateLimitProperties properties;
    private final Clock clock;
    private final RedisClient client;
    private final BucketConfiguration bucket;
    private final ExpirationAfterWriteStrategy expiration =
            ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10));
    private final Counter limited;
    private final Counter unavailable;
    private final AtomicLong lastWarning = new AtomicLong();
    private final RecentRefusals recentRefusals;
    private final ScheduledExecutorService connector;
    private volatile StatefulRedisConnection<byte[], byte[]> connection;

    RedisSendRateLimiter(
            RateLimitProperties properties, DataRedisConnectionDetails redis, MeterRegistry meters, Clock clock) {
        this.properties = properties;
        this.clock = clock;
        this.client = RedisClient.create(redisUri(redis, properties.connectTimeout()));
        this.client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(properties.connectTimeout())
                        .build())
                .timeoutOptions(TimeoutOptions.enabled(properties.redisTimeout()))
                .build());
        this.bucket = BucketConfiguration.builder()
                .addLimit(Bandwidth.builder()
                        .capacity(properties.capacity())
                        .refillGreedy(properties.refillTokens(), properties.refillPeriod())
                        .build())
                .build();
        this.recentRefusals = new RecentRefusals(properties.rememberedRefusals());
        this.limited = Counter.builder("chat.messages.rate_limited")
                .description("Sends refused by the per-user rate limit")
                .register(meters);
        this.unavailable = Counter.builder("chat.ratelimit.unavailable")
                .description("Sends let through unchecked because Redis could not be reached")
                .register(meters);
        this.connector = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "rate-limit-connect");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Connects and warms up before anything can send: Spring calls this before starting any lifecycle bean. */
    @Override
    public void afterSingletonsInstantiated() {
        if (properties.enabled()) {
            connect();
        }
    }

    @Override
    public Decision tryAcquire(long userId, Instant sentAt) {
        if (!properties.enabled()) {
            return Decision.ALLOWED;
        }
        long at = at(sentAt);
        Decision known = knownRefusal(userId, at);
        if (known != null) {
            return known;
        }
        StatefulRedisConnection<byte[], byte[]> current = connection;
        if (current == null) {
            return failOpen(null);
        }
        try {
            return decision(userId, at, bucket(current, key(userId), at).tryConsumeAndReturnRemaining(1));
        } catch (RuntimeException e) {
            return failOpen(e);
        }
    }

    @Override
    public CompletableFuture<Decision> tryAcquireLater(long userId, Instant sentAt) {
        if (!properties.enabled()) {
            return CompletableFuture.completedFuture(Decision.ALLOWED);
        }
        long at = at(sentAt);
        Decision known = knownRefusal(userId, at);
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        StatefulRedisConnection<byte[], byte[]> current = connection;
        if (current == null) {
            return CompletableFuture.completedFuture(failOpen(null));
        }
        try {
            return asyncBucket(current, key(userId), at)
                    .tryConsumeAndReturnRemaining(1)
                    .handle((probe, failure) ->
                            failure == null ? decision(userId, at, probe) : failOpen(unwrapped(failure)));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failOpen(e));
        }
    }

    private Decision decision(long userId, long atNanos, ConsumptionProbe probe) {
        if (probe.isConsumed()) {
            return Decision.ALLOWED;
        }
        limited.increment();
        long wait = probe.getNanosToWaitForRefill();
        recentRefusals.refused(userId, atNanos, wait, at(null));
        return Decision.refused(Duration.ofNanos(wait));
    }

    /**
     * A refusal without asking Redis, when this instance has just refused the user (null otherwise). The wait is
     * counted from now, as Redis counts it from the bucket's latest time, even for a command judged in the past.
     */
    private Decision knownRefusal(long userId, long atNanos) {
        long until = recentRefusals.until(userId);
        if (until <= atNanos) {
            return null;
        }
        limited.increment();
        return Decision.refused(Duration.ofNanos(Math.max(0, until - at(null))));
    }

    private static RuntimeException unwrapped(Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
    }

    @Override
    public boolean isRefusing(long userId, Instant sentAt) {
        return properties.enabled() && recentRefusals.until(userId) > at(sentAt);
    }

    @Override
    public boolean tryAcquireAll(List<UserSend> sends) {
        if (!properties.enabled()) {
            return true;
        }
        for (UserSend send : sends) {
            if (recentRefusals.until(send.userId()) > at(send.sentAt())) {
                // Refused as a whole, nothing taken: each send is judged on its own, this one without a round trip.
                return false;
            }
        }
        StatefulRedisConnection<byte[], byte[]> current = connection;
        if (current == null) {
            sends.forEach(send -> failOpen(null));
            return true;
        }
        // One bucket operation per user, all in flight at once on the shared connection (Lettuce pipelines them).
        Map<Long, Integer> counts = new LinkedHashMap<>();
        Map<Long, Long> judgedAt = new HashMap<>();
        for (UserSend send : sends) {
            counts.merge(send.userId(), 1, Integer::sum);
            judgedAt.merge(send.userId(), at(send.sentAt()), Math::max);
        }
        Map<Long, CompletableFuture<Boolean>> taking = new LinkedHashMap<>();
        counts.forEach((user, count) -> taking.put(
                user, asyncBucket(current, key(user), judgedAt.get(user)).tryConsume(count)));
        List<Long> taken = new ArrayList<>(taking.size());
        boolean all = true;
        for (Map.Entry<Long, CompletableFuture<Boolean>> entry : taking.entrySet()) {
            try {
                if (entry.getValue().join()) {
                    taken.add(entry.getKey());
                } else {
                    all = false;
                }
            } catch (RuntimeException e) {
                // As for a single send: Redis failing lets these sends through unchecked.
                for (int i = 0; i < counts.get(entry.getKey()); i++) {
                    failOpen(e);
                }
            }
        }
        if (!all) {
            giveBack(current, taken, counts, judgedAt);
        }
        return all;
    }

    /** Returns what {@link #tryAcquireAll} took, and waits for it, so that the single sends that follow see it. */
    private void giveBack(
            StatefulRedisConnection<byte[], byte[]> redis,
            List<Long> users,
            Map<Long, Integer> counts,
            Map<Long, Long> judgedAt) {
        List<CompletableFuture<Void>> returns = new ArrayList<>(users.size());
        for (Long user : users) {
            returns.add(asyncBucket(redis, key(user), judgedAt.get(user)).addTokens(counts.get(user)));
        }
        for (CompletableFuture<Void> giving : returns) {
            try {
                giving.join();
            } catch (RuntimeException e) {
                log.debug("Could not give sends back: {}", e.toString());
            }
        }
    }

    @Override
    public void refund(long userId, Instant sentAt) {
        recentRefusals.forget(userId);
        StatefulRedisConnection<byte[], byte[]> current = connection;
        if (!properties.enabled() || current == null) {
            return;
        }
        try {
            bucket(current, key(userId), at(sentAt)).addTokens(1);
        } catch (RuntimeException e) {
            log.debug("Could not give a send back to user {}: {}", userId, e.toString());
        }
    }

    /** Whether the limiter currently reaches Redis (for tests and diagnostics). */
    boolean connected() {
        StatefulRedisConnection<byte[], byte[]> current = connection;
        return current != null && current.isOpen();
    }

    /** Nanoseconds since the epoch at which to judge a send: its time, within [now - max-command-age, now]. */
    private long at(Instant sentAt) {
        long now = clock.millis();
        long millis = sentAt == null
                ? now
                : Math.max(now - properties.maxCommandAge().toMillis(), Math.min(now, sentAt.toEpochMilli()));
        // The same scale as Bucket4j's default clock (TimeMeter.SYSTEM_MILLISECONDS), which older buckets were on.
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** {@code key}'s bucket as of {@code atNanos}. */
    private Bucket bucket(StatefulRedisConnection<byte[], byte[]> redis, byte[] key, long atNanos) {
        return buckets(redis, atNanos).builder().build(key, () -> bucket);
    }

    private AsyncBucketProxy asyncBucket(StatefulRedisConnection<byte[], byte[]> redis, byte[] key, long atNanos) {
        return buckets(redis, atNanos).asAsync().builder().build(key, () -> CompletableFuture.completedFuture(bucket));
    }

    private ProxyManager<byte[]> buckets(StatefulRedisConnection<byte[], byte[]> redis, long atNanos) {
        return Bucket4jLettuce.casBasedBuilder(redis)
                .clientClock(new StandingClock(atNanos))
                .expirationAfterWrite(expiration)
                .build();
    }

    /** A client-side clock that always reads one instant. */
    private record StandingClock(long nanos) implements TimeMeter {

        @Override
        public long currentTimeNanos() {
            return nanos;
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }

    private void connect() {
        try {
            StatefulRedisConnection<byte[], byte[]> opened = client.connect(ByteArrayCodec.INSTANCE);
            warmUp(opened);
            connection = opened;
            log.info("Send rate limiter connected to Redis");
        } catch (RuntimeException e) {
            // Lettuce reconnects an established connection by itself; only the first connect needs retrying.
            warn(
                    "Send rate limit not enforced: cannot connect to Redis ({}); sends go through unchecked, retrying"
                            + " every " + properties.reconnectInterval().toSeconds() + " s",
                    e);
            connector.schedule(this::connect, properties.reconnectInterval().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * A few real operations on a bucket of its own, so that the first sends find the code loaded and compiled and the
     * Lua scripts cached by Redis. A slow first operation may time out here; that is what this is for.
     */
    private void warmUp(StatefulRedisConnection<byte[], byte[]> redis) {
        byte[] key = key("warm-up:" + UUID.randomUUID());
        long start = System.nanoTime();
        int failed = 0;
        for (int round = 0; round < WARM_UP_ROUNDS; round++) {
            try {
                Bucket warm = bucket(redis, key, at(null));
                warm.tryConsumeAndReturnRemaining(1);
                warm.addTokens(1);
                AsyncBucketProxy together = asyncBucket(redis, key, at(null));
                together.tryConsume(2).join();
                together.addTokens(2).join();
                together.tryConsumeAndReturnRemaining(1).join();
                together.addTokens(1).join();
            } catch (RuntimeException e) {
                failed++;
                log.debug("Rate limiter warm-up operation failed: {}", e.toString());
            }
        }
        try {
            buckets(redis, at(null)).removeProxy(key);
        } catch (RuntimeException e) {
            log.debug("Could not remove the warm-up bucket (it expires by itself): {}", e.toString());
        }
        log.debug(
                "Rate limiter warmed up in {} ms ({} of {} rounds timed out)",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                failed,
                WARM_UP_ROUNDS);
    }

    private Decision failOpen(RuntimeException cause) {
        unavailable.increment();
        warn(
                "Send rate limit not enforced: Redis unreachable ({}). Sends go through unchecked;"
                        + " see metric chat.ratelimit.unavailable",
                cause);
        return Decision.ALLOWED;
    }

    /** At most one warning per {@code warn-interval}. */
    private void warn(String message, RuntimeException cause) {
        long now = System.currentTimeMillis();
        long last = lastWarning.get();
        if (now - last >= properties.warnInterval().toMillis() && lastWarning.compareAndSet(last, now)) {
            log.warn(message, cause == null ? "not connected" : cause.getMessage());
        }
    }

    private byte[] key(long userId) {
        return key(Long.toString(userId));
    }

    private byte[] key(String suffix) {
        return (properties.keyPrefix() + suffix).getBytes(StandardCharsets.UTF_8);
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
                // The connection handshake's timeout; commands have their own (TimeoutOptions).
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
        connector.shutdownNow();
        StatefulRedisConnection<byte[], byte[]> current = connection;
        if (current != null) {
            current.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
