package org.erpchat.message.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.erpchat.events.MessageType;
import org.erpchat.events.RejectReason;
import org.erpchat.message.MessageServiceTest;
import org.erpchat.message.conversation.ConversationStore;
import org.erpchat.message.conversation.GroupMembers;
import org.erpchat.message.conversation.PrivateConversations;
import org.erpchat.message.outbox.Outbox;
import org.erpchat.message.ratelimit.SendRateLimiter;
import org.erpchat.message.user.UserRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The rate limit's answer normally arrives while the send's statements run. When it comes later than
 * {@code chat.message.send.rate-limit-wait} (a slow Redis), the transaction rolls back instead of holding the
 * conversation's lock, and the send is stored once the answer is in: exactly once, with the next number, or not at
 * all when the answer is no. The service's own parts, with a limiter that answers 300 ms late.
 */
class LateRateLimitTest extends MessageServiceTest {

    private static final Duration LATE = Duration.ofMillis(300);

    @Autowired
    private SendValidator validator;

    @Autowired
    private ConversationStore conversations;

    @Autowired
    private GroupMembers groupMembers;

    @Autowired
    private MessageStore messages;

    @Autowired
    private MessageAppender appender;

    @Autowired
    private PrivateConversations privateConversations;

    @Autowired
    private UserRegistry users;

    @Autowired
    private Outbox outbox;

    @Autowired
    private MessageMetrics metrics;

    @Autowired
    private PlatformTransactionManager transactionManager;

    @Test
    void aSendWhoseLimitAnswersLateIsStoredOnceWithTheNextNumber() {
        Talked pair = talked();
        long before = lastSeq(pair.conversation());

        SendResult result = sender(new LateLimiter(true)).send(send(pair.alice(), pair.bob(), "late-yes"));

        assertThat(result.created()).isTrue();
        assertThat(result.message().seq()).isEqualTo(before + 1);
        assertThat(lastSeq(pair.conversation())).isEqualTo(before + 1);
        assertThat(stored(pair.alice(), "late-yes")).isEqualTo(1);
    }

    @Test
    void aSendWhoseLimitSaysNoLateIsNotStored() {
        Talked pair = talked();
        long before = lastSeq(pair.conversation());

        assertThatThrownBy(() -> sender(new LateLimiter(false)).send(send(pair.alice(), pair.bob(), "late-no")))
                .isInstanceOfSatisfying(
                        SendRejectedException.class, e -> assertThat(e.reason()).isEqualTo(RejectReason.RATE_LIMITED));

        assertThat(lastSeq(pair.conversation())).isEqualTo(before);
        assertThat(stored(pair.alice(), "late-no")).isZero();
        assertThat(sendPrivate(pair.bob(), pair.alice(), "next").longValue("seq"))
                .isEqualTo(before + 1);
    }

    /** Two users who have exchanged a message, and their conversation. */
    private record Talked(long alice, long bob, long conversation) {}

    private Talked talked() {
        long alice = knownUser();
        long bob = knownUser();
        assertThat(sendPrivate(alice, bob, "hello").status()).isEqualTo(201);
        return new Talked(alice, bob, privateConversationId(alice, bob));
    }

    private MessageSender sender(SendRateLimiter limiter) {
        return new MessageSender(
                validator,
                limiter,
                conversations,
                groupMembers,
                messages,
                appender,
                privateConversations,
                users,
                outbox,
                metrics,
                transactionManager,
                Clock.systemUTC(),
                jdbc,
                new SendTransactionProperties(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMillis(1)));
    }

    private static SendRequest send(long from, long to, String clientMsgId) {
        return new SendRequest(from, to, null, MessageType.TEXT, "text", null, clientMsgId, null, Instant.now());
    }

    private long stored(long sender, String clientMsgId) {
        return jdbc.sql("SELECT count(*) FROM messages WHERE sender_id = :sender AND client_msg_id = :id")
                .param("sender", sender)
                .param("id", clientMsgId)
                .query(Long.class)
                .single();
    }

    /** Answers every send {@link #LATE} after it is asked, always the same way. */
    private record LateLimiter(boolean allows) implements SendRateLimiter {

        @Override
        public Decision tryAcquire(long userId, Instant sentAt) {
            return decision();
        }

        @Override
        public CompletableFuture<Decision> tryAcquireLater(long userId, Instant sentAt) {
            return CompletableFuture.supplyAsync(
                    this::decision, CompletableFuture.delayedExecutor(LATE.toMillis(), TimeUnit.MILLISECONDS));
        }

        @Override
        public boolean tryAcquireAll(List<UserSend> sends) {
            return allows;
        }

        @Override
        public void refund(long userId, Instant sentAt) {}

        private Decision decision() {
            return new Decision(allows, allows ? Duration.ZERO : Duration.ofSeconds(1));
        }
    }
}
