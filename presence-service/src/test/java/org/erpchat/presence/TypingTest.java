package org.erpchat.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.List;
import org.erpchat.events.ConversationKind;
import org.erpchat.events.TypingIndicated;
import org.erpchat.events.UserTyping;
import org.erpchat.presence.state.RedisKeys;
import org.junit.jupiter.api.Test;

class TypingTest extends PresenceIntegrationTest {

    @Test
    void typingStartsOnceIsRefreshedSilentlyAndEndsOnExplicitStop() {
        long user = newId();
        long peer = newId();
        long conversation = newId();
        try (FakeGateway gateway = FakeGateway.live()) {
            gateway.open(user);
            awaitStates(user, true);

            typing(conversation, ConversationKind.PRIVATE, user, List.of(peer), true);
            UserTyping started = awaitTyping(conversation, user, 1).get(0);
            assertThat(started.typing()).isTrue();
            assertThat(started.recipientIds()).containsExactly(peer);
            assertThat(started.conversationKind()).isEqualTo(ConversationKind.PRIVATE);
            assertThat(keyOf(presenceEvents.records().stream()
                            .filter(r -> r.event() == started)
                            .findFirst()
                            .orElseThrow()))
                    .isEqualTo(Long.toString(conversation));
            String member = conversation + ":" + user;
            assertThat(redis.hasKey(RedisKeys.typing(conversation, user))).isTrue();
            Long ttl =
                    redis.getExpire(RedisKeys.typing(conversation, user), java.util.concurrent.TimeUnit.MILLISECONDS);
            assertThat(ttl)
                    .isPositive()
                    .isLessThanOrEqualTo(properties.typingTtl().toMillis());
            double firstExpiry = redis.opsForZSet().score(RedisKeys.TYPING, member);

            // A repeat within the TTL moves the expiry forward and announces nothing.
            typing(conversation, ConversationKind.PRIVATE, user, List.of(peer), true);
            await().until(() -> {
                Double expiry = redis.opsForZSet().score(RedisKeys.TYPING, member);
                return expiry != null && expiry > firstExpiry;
            });

            typing(conversation, ConversationKind.PRIVATE, user, List.of(peer), false);

            List<UserTyping> events = awaitTyping(conversation, user, 2);
            assertThat(events).extracting(UserTyping::typing).containsExactly(true, false);
            assertThat(events.get(1).recipientIds()).containsExactly(peer);
            await().until(() -> !Boolean.TRUE.equals(redis.hasKey(RedisKeys.typing(conversation, user))));
            assertThat(redis.opsForZSet().score(RedisKeys.TYPING, member)).isNull();
        }
    }

    @Test
    void typingThatIsNotRepeatedExpiresAndTheExpiryIsAnnouncedToTheSameRecipients() {
        long user = newId();
        List<Long> members = List.of(newId(), newId());
        long group = newId();
        try (FakeGateway gateway = FakeGateway.live()) {
            gateway.open(user);
            awaitStates(user, true);

            typing(group, ConversationKind.GROUP, user, members, true);

            List<UserTyping> events = awaitTyping(group, user, 2);
            assertThat(events).extracting(UserTyping::typing).containsExactly(true, false);
            assertThat(events.get(1).recipientIds()).containsExactlyElementsOf(members);
            assertThat(events.get(1).conversationKind()).isEqualTo(ConversationKind.GROUP);
            assertThat(redis.hasKey(RedisKeys.typing(group, user))).isFalse();
        }
    }

    @Test
    void aStartReadAfterItWouldHaveLapsedIsNotAnnounced() {
        long user = newId();
        long conversation = newId();
        long late = newId();
        long fresh = newId();
        try (FakeGateway gateway = FakeGateway.live()) {
            gateway.open(user);
            awaitStates(user, true);

            // Read after a backlog: the typing it started ended (by its TTL) long ago.
            Instant longAgo = Instant.now().minus(properties.sessionTtl()).minusSeconds(30);
            TestEvents.publish(
                    new TypingIndicated(conversation, ConversationKind.PRIVATE, user, List.of(late), true, longAgo));
            typing(conversation, ConversationKind.PRIVATE, user, List.of(fresh), true);

            // Both are on the user's partition, in this order: the first announcement is the fresh start's.
            UserTyping first = awaitTyping(conversation, user, 1).get(0);
            assertThat(first.typing()).isTrue();
            assertThat(first.recipientIds()).containsExactly(fresh);
        }
    }

    @Test
    void goingOfflineEndsTypingAndOfflineUsersDoNotType() {
        long user = newId();
        long peer = newId();
        long conversation = newId();
        long other = newId();
        try (FakeGateway gateway = FakeGateway.live()) {
            String session = gateway.open(user);
            awaitStates(user, true);
            typing(conversation, ConversationKind.PRIVATE, user, List.of(peer), true);
            awaitTyping(conversation, user, 1);

            gateway.close(session);

            awaitStates(user, true, false);
            List<UserTyping> events = awaitTyping(conversation, user, 2);
            assertThat(events).extracting(UserTyping::typing).containsExactly(true, false);

            // Typing from a user with no session is not believed.
            typing(other, ConversationKind.PRIVATE, user, List.of(peer), true);
            // Stopping typing where nothing was started announces nothing either; the next real start proves the
            // consumer went past both.
            typing(other, ConversationKind.PRIVATE, user, List.of(peer), false);
            gateway.open(user);
            awaitStates(user, true, false, true);
            long witness = newId();
            typing(other, ConversationKind.PRIVATE, user, List.of(witness), true);
            awaitEvents(UserTyping.class, e -> e.recipientIds().contains(witness), 1);
            assertThat(typingOf(other, user))
                    .singleElement()
                    .satisfies(e -> assertThat(e.recipientIds()).containsExactly(witness));
        }
    }

    private List<UserTyping> awaitTyping(long conversation, long user, int count) {
        return awaitEvents(UserTyping.class, e -> e.conversationId() == conversation && e.userId() == user, count);
    }

    private static String keyOf(org.erpchat.testsupport.KafkaEventCollector.Received record) {
        return record.key();
    }

    private static void typing(long conversation, ConversationKind kind, long user, List<Long> to, boolean typing) {
        TestEvents.publish(new TypingIndicated(conversation, kind, user, to, typing, Instant.now()));
    }
}
