package org.erpchat.message.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.erpchat.message.Api;
import org.erpchat.message.MessageServiceTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;

/** The per-user send rate limit (test settings: a burst of 50, then one a minute), kept in Redis. */
class RateLimitTest extends MessageServiceTest {

    @Autowired
    private RateLimitProperties properties;

    @Autowired
    private DataRedisConnectionDetails redis;

    @Autowired
    private MeterRegistry meters;

    @Autowired
    private RedisSendRateLimiter limiter;

    @Test
    void sendsBeyondTheAllowanceAre429WithRetryAfterAndTheBucketIsShared() {
        long alice = knownUser();
        long bob = knownUser();
        for (int i = 0; i < properties.capacity(); i++) {
            assertThat(sendPrivate(alice, bob, "m" + i, "rl-" + i).status()).isEqualTo(201);
        }
        long conversation = privateConversationId(alice, bob);
        long lastBefore = lastSeq(conversation);
        Api.Response limited = sendPrivate(alice, bob, "one too many", "rl-over");

        assertThat(limited.status()).isEqualTo(429);
        // Stored while the limit was asked, then rolled back: no message, no number used.
        assertThat(lastSeq(conversation)).isEqualTo(lastBefore);
        assertThat(limited.code()).isEqualTo("rate_limited");
        assertThat(limited.contentType()).startsWith("application/problem+json");
        long retryAfter = Long.parseLong(limited.header("Retry-After"));
        assertThat(retryAfter).isBetween(1L, 60L);
        // A retry of a message already stored costs nothing and still answers.
        assertThat(sendPrivate(alice, bob, "m0", "rl-0").status()).isEqualTo(200);
        // Others are not affected, and the numbers go on without a gap.
        Api.Response next = sendPrivate(bob, alice, "my turn");
        assertThat(next.status()).isEqualTo(201);
        assertThat(next.longValue("seq")).isEqualTo(lastBefore + 1);

        // Another instance of the service (its own limiter, same Redis) sees the same empty bucket.
        RedisSendRateLimiter otherInstance =
                new RedisSendRateLimiter(properties, redis, new SimpleMeterRegistry(), Clock.systemUTC());
        try {
            otherInstance.afterSingletonsInstantiated();
            SendRateLimiter.Decision decision = otherInstance.tryAcquire(alice, null);
            assertThat(decision.allowed()).isFalse();
            assertThat(decision.retryAfter()).isPositive();
            assertThat(otherInstance.tryAcquire(newUserId(), null).allowed()).isTrue();
        } finally {
            otherInstance.destroy();
        }
    }

    @Test
    void aUserJustRefusedIsRefusedAgainWithoutTakingTheConversationsLock() throws Exception {
        long alice = knownUser();
        long bob = knownUser();
        assertThat(sendPrivate(alice, bob, "first", "known-0").status()).isEqualTo(201);
        long conversation = privateConversationId(alice, bob);
        for (int i = 1; i < properties.capacity(); i++) {
            assertThat(limiter.tryAcquire(alice, null).allowed()).isTrue();
        }
        assertThat(limiter.tryAcquire(alice, null).allowed()).isFalse();
        long lastBefore = lastSeq(conversation);

        // Bob is writing to Alice: his transaction holds the conversation's row lock (for as long as this test likes).
        try (AutoCloseable bobIsWriting = holdConversationLock(conversation)) {
            // Alice, just refused, is refused again at once: a send that asked for the lock would wait for Bob's
            // transaction until the lock timeout and fail as unavailable.
            Api.Response refused = sendPrivate(alice, bob, "still too many", "known-over");
            assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
            assertThat(refused.code()).isEqualTo("rate_limited");
            assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
            // A repeat of a stored send is still answered with the original.
            Api.Response repeat = sendPrivate(alice, bob, "first", "known-0");
            assertThat(repeat.status()).as(repeat.toString()).isEqualTo(200);
            // Judged together with others, her send makes the batch go one by one, and takes nobody's allowance.
            long carol = newUserId();
            assertThat(limiter.tryAcquireAll(List.of(
                            new SendRateLimiter.UserSend(carol, null), new SendRateLimiter.UserSend(alice, null))))
                    .isFalse();
            takeAll(carol, Instant.now());
        }
        assertThat(lastSeq(conversation)).isEqualTo(lastBefore);
    }

    @Test
    void aRepeatCostsNoToken() {
        long alice = knownUser();
        long bob = knownUser();
        for (int i = 0; i < properties.capacity() - 1; i++) {
            assertThat(sendPrivate(alice, bob, "m" + i, "free-" + i).status()).isEqualTo(201);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(sendPrivate(alice, bob, "m0", "free-0").status()).isEqualTo(200);
        }

        assertThat(sendPrivate(alice, bob, "the last one", "free-last").status())
                .isEqualTo(201);
        assertThat(sendPrivate(alice, bob, "one too many", "free-over").status())
                .isEqualTo(429);
    }

    @Test
    void sendsGoThroughWhenRedisIsDown() {
        long alice = knownUser();
        long bob = knownUser();
        double unavailableBefore = meters.counter("chat.ratelimit.unavailable").count();
        infrastructure.stopRedis();
        try {
            for (int i = 0; i < 3; i++) {
                Api.Response sent = sendPrivate(alice, bob, "redis is gone " + i);
                assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
            }
            assertThat(meters.counter("chat.ratelimit.unavailable").count()).isGreaterThan(unavailableBefore);
        } finally {
            infrastructure.startRedis();
        }
        // Back to enforcing once Lettuce has reconnected (other tests rely on it).
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            double before = meters.counter("chat.ratelimit.unavailable").count();
            limiter.tryAcquire(newUserIdForProbe(), null);
            return meters.counter("chat.ratelimit.unavailable").count() == before;
        });
    }

    @Test
    void aSendIsJudgedAtTheTimeItWasSentButNeverInTheFuture() {
        long user = newUserId();
        Instant now = Instant.now();
        takeAll(user, now);
        // Judged an hour from now the bucket would be full again; the limiter does not trust a clock that is ahead.
        assertThat(limiter.tryAcquire(user, now.plus(Duration.ofHours(1))).allowed())
                .isFalse();
        // Judged in the past, before the bucket's last refill, a send gets no tokens back: a bucket's clock never
        // goes backwards.
        SendRateLimiter.Decision past = limiter.tryAcquire(user, now.minus(Duration.ofMinutes(30)));
        assertThat(past.allowed()).isFalse();
        // The wait counts from now (the refill of one send a minute), not from the time the send is judged at.
        assertThat(past.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aSendIsNeverJudgedEarlierThanTheMaximumCommandAge() {
        // Test setting: max-command-age 1h, so both times below are judged at (about) one hour ago.
        long user = newUserId();
        Instant now = Instant.now();
        takeAll(user, now.minus(Duration.ofHours(3)));
        long allowed = IntStream.range(0, 30)
                .filter(i -> limiter.tryAcquire(user, now.minus(Duration.ofMinutes(150)))
                        .allowed())
                .count();
        // Taken at face value, the second burst would come 30 minutes after the first and get 30 sends back.
        assertThat(allowed).isZero();
    }

    @Test
    void aSendThatWasNotStoredIsGivenBack() {
        long user = newUserId();
        Instant now = Instant.now();
        takeAll(user, now);
        limiter.refund(user, now);
        assertThat(limiter.tryAcquire(user, now).allowed()).isTrue();
        assertThat(limiter.tryAcquire(user, now).allowed()).isFalse();
    }

    @Test
    void sendsJudgedTogetherAreTakenAllOrNone() {
        long alice = newUserId();
        long bob = newUserId();
        Instant now = Instant.now();
        // Bob has one send left; a batch with two of his is refused as a whole.
        for (int i = 0; i < properties.capacity() - 1; i++) {
            assertThat(limiter.tryAcquire(bob, now).allowed()).isTrue();
        }
        List<SendRateLimiter.UserSend> tooMany = List.of(
                new SendRateLimiter.UserSend(alice, now),
                new SendRateLimiter.UserSend(bob, now),
                new SendRateLimiter.UserSend(alice, now),
                new SendRateLimiter.UserSend(bob, now));

        assertThat(limiter.tryAcquireAll(tooMany)).isFalse();

        // Nothing was taken: Bob still has his last send, Alice her whole allowance.
        assertThat(limiter.tryAcquire(bob, now).allowed()).isTrue();
        assertThat(limiter.tryAcquire(bob, now).allowed()).isFalse();
        takeAll(alice, now);
    }

    @Test
    void sendsJudgedTogetherTakeOneEach() {
        long alice = newUserId();
        long bob = newUserId();
        Instant now = Instant.now();
        List<SendRateLimiter.UserSend> batch = List.of(
                new SendRateLimiter.UserSend(alice, now),
                new SendRateLimiter.UserSend(alice, now.minusMillis(5)),
                new SendRateLimiter.UserSend(bob, now));

        assertThat(limiter.tryAcquireAll(batch)).isTrue();

        // Alice spent two, Bob one.
        long aliceLeft = IntStream.range(0, (int) properties.capacity())
                .filter(i -> limiter.tryAcquire(alice, now).allowed())
                .count();
        long bobLeft = IntStream.range(0, (int) properties.capacity())
                .filter(i -> limiter.tryAcquire(bob, now).allowed())
                .count();
        assertThat(aliceLeft).isEqualTo(properties.capacity() - 2L);
        assertThat(bobLeft).isEqualTo(properties.capacity() - 1L);
    }

    /** Empties {@code user}'s bucket at {@code at}. */
    private void takeAll(long user, Instant at) {
        for (int i = 0; i < properties.capacity(); i++) {
            assertThat(limiter.tryAcquire(user, at).allowed()).isTrue();
        }
        assertThat(limiter.tryAcquire(user, at).allowed()).isFalse();
    }

    private static long newUserIdForProbe() {
        return 900_000_000L + System.nanoTime() % 1_000_000;
    }
}
