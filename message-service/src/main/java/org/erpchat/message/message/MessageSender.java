package org.erpchat.message.message;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.erpchat.events.RejectReason;
import org.erpchat.events.SendRules;
import org.erpchat.message.conversation.ConversationRef;
import org.erpchat.message.conversation.ConversationStore;
import org.erpchat.message.conversation.GroupMembers;
import org.erpchat.message.conversation.PrivateConversations;
import org.erpchat.message.outbox.Outbox;
import org.erpchat.message.ratelimit.SendRateLimiter;
import org.erpchat.message.user.UserRegistry;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one send path, for REST and Kafka commands alike: validate, rate-limit, store, and answer a repeat with the
 * original.
 *
 * <p><b>Idempotency.</b> {@code (sender_id, client_msg_id)} is unique for good. A new send pays for no lookup: the
 * insert of a repeat fails on that unique constraint (a concurrent repeat into the same conversation has committed by
 * the time the repeat holds the conversation lock; one into another conversation makes the insert wait for it), the
 * transaction rolls back, and the stored original is the answer. A repeat costs no rate-limit token (its token is
 * given back) and is answered even when the sender is out of tokens, or has since left the group, or names another
 * target. REST repeats publish nothing; a repeated command re-publishes the original {@code MessageCreated} with the
 * new command's origin so the retrying session gets its acknowledgement.
 *
 * <p><b>Rate limit.</b> A send is judged at {@code issuedAt} (commands) or now (REST). A send that takes a token and is
 * then not stored because the database failed gives the token back: retrying it (a parked command is retried until
 * the database is back) must not use up the sender's allowance. The limiter's Redis round trips run while the
 * transaction stores the message, which then commits only if the limit allowed it and otherwise rolls back (nothing
 * stored, no {@code seq} used), so the limit adds no wait of its own to a send. Should the answer not have arrived
 * by the end of the statements ({@code chat.message.send.rate-limit-wait}), the transaction rolls back rather than
 * hold the conversation's lock, and the send is stored after the answer, as a send without the overlap would be.
 *
 * <p><b>Round trips.</b> A new private message between people who have talked before costs three database round trips
 * (set the bounds below and claim the {@code seq} in one statement; insert message, outbox entry and read marker in
 * one; commit); a group message one more for its members, unless this instance holds them at the group's current
 * version ({@link GroupMembers}).
 *
 * <p><b>Bounded waits.</b> The store transaction sets {@code lock_timeout} and {@code statement_timeout}
 * ({@code chat.message.send.*}), so a stuck conversation lock fails the send as a transient database error.
 */
@Service
public class MessageSender {

    private final SendValidator validator;
    private final SendRateLimiter rateLimiter;
    private final ConversationStore conversations;
    private final GroupMembers groupMembers;
    private final MessageStore messages;
    private final MessageAppender appender;
    private final PrivateConversations privateConversations;
    private final UserRegistry users;
    private final Outbox outbox;
    private final MessageMetrics metrics;
    private final TransactionTemplate transaction;
    /** Nanoseconds. */
    private final long limitWait;

    private final Clock clock;
    private final JdbcClient jdbc;
    private final ConversationStore.WaitBounds bounds;

    MessageSender(
            SendValidator validator,
            SendRateLimiter rateLimiter,
            ConversationStore conversations,
            GroupMembers groupMembers,
            MessageStore messages,
            MessageAppender appender,
            PrivateConversations privateConversations,
            UserRegistry users,
            Outbox outbox,
            MessageMetrics metrics,
            PlatformTransactionManager transactionManager,
            Clock clock,
            JdbcClient jdbc,
            SendTransactionProperties limits) {
        this.validator = validator;
        this.rateLimiter = rateLimiter;
        this.conversations = conversations;
        this.groupMembers = groupMembers;
        this.messages = messages;
        this.appender = appender;
        this.privateConversations = privateConversations;
        this.users = users;
        this.outbox = outbox;
        this.metrics = metrics;
        this.transaction = new TransactionTemplate(transactionManager);
        this.clock = clock;
        this.jdbc = jdbc;
        this.bounds = limits.waitBounds();
        this.limitWait = limits.rateLimitWait().toNanos();
    }

    /**
     * Sends a message as {@code request.senderId()}.
     *
     * @throws SendRejectedException when the send is refused; nothing was stored
     */
    public SendResult send(SendRequest request) {
        try {
            return doSend(request);
        } catch (SendRejectedException e) {
            metrics.rejected(e.reason());
            throw e;
        }
    }

    private SendResult doSend(SendRequest unchecked) {
        SendRequest request;
        try {
            request = validator.validate(unchecked);
        } catch (SendRejectedException e) {
            // A repeat is answered with the original whatever else it says, even what would be refused now (a
            // receiver that is the sender, content over a limit lowered since): the client's retry must get the
            // answer its first try got.
            if (!SendRules.isValidClientMsgId(unchecked.clientMsgId())) {
                throw e;
            }
            return repeatOf(unchecked).orElseThrow(() -> e);
        }
        if (request.clientMsgId() == null) {
            // REST sends without a client id get one of ours: stored like any other, never matched by a retry.
            request = request.normalized(request.type(), request.content(), serverClientMsgId());
        }
        CompletableFuture<SendRateLimiter.Decision> limit =
                rateLimiter.tryAcquireLater(request.senderId(), request.issuedAt());
        if (limit.isDone() && !limit.join().allowed()) {
            // Already known to be over the limit (the user was just refused): no transaction, so a client that keeps
            // sending past its limit does not take the conversation's lock each time, in the other members' way.
            return refusedByLimit(request, limit.join());
        }
        SendResult result;
        try {
            result = storeOrFindRepeat(request, limit);
        } catch (SendRejectedException e) {
            // Refused for its target; the rate limit is judged first, as it always was, and a repeat of a stored send
            // is still answered with the original.
            SendRateLimiter.Decision decision = limit.join();
            if (!decision.allowed()) {
                return refusedByLimit(request, decision);
            }
            SendRequest refused = request;
            return repeatOf(refused)
                    .map(repeat -> {
                        rateLimiter.refund(refused.senderId(), refused.issuedAt());
                        return repeat;
                    })
                    .orElseThrow(() -> e);
        } catch (RuntimeException | Error e) {
            // Not stored, not refused (an Error too rolled the transaction back): the send did not happen, so it costs
            // nothing; a retry is judged afresh.
            if (limit.join().allowed()) {
                rateLimiter.refund(request.senderId(), request.issuedAt());
            }
            throw e;
        }
        SendRateLimiter.Decision decision = limit.join();
        if (result == null) {
            return refusedByLimit(request, decision);
        }
        if (!result.created()) {
            if (decision.allowed()) {
                rateLimiter.refund(request.senderId(), request.issuedAt());
            }
            return repeated(result.message(), request);
        }
        metrics.sent(result.message().conversationType(), request.origin() != null);
        return result;
    }

    /** Over the limit: refused, unless it repeats a send stored before, which is answered with the original. */
    private SendResult refusedByLimit(SendRequest request, SendRateLimiter.Decision decision) {
        return repeatOf(request)
                .orElseThrow(() -> new SendRejectedException(
                        RejectReason.RATE_LIMITED, "too many messages, slow down", decision.retryAfter()));
    }

    /** A client message id of ours, for a REST send without one: stored like any other, never matched by a retry. */
    static String serverClientMsgId() {
        return "srv-" + UuidV7.next();
    }

    /** The answer to {@code request} when it repeats a stored send. */
    private Optional<SendResult> repeatOf(SendRequest request) {
        return messages.findByClientMsgId(request.senderId(), request.clientMsgId())
                .map(original -> repeated(original, request));
    }

    /**
     * Stores the send if the limit allows it, or finds the original it repeats. Null when the limit refused it: nothing
     * was stored.
     */
    private SendResult storeOrFindRepeat(SendRequest request, CompletableFuture<SendRateLimiter.Decision> limit) {
        try {
            Attempt attempt = transaction.execute(status -> storeIfAllowed(request, limit, status));
            if (attempt.decided()) {
                return attempt.result();
            }
            // The limit had not answered by the end of the statements: wait for it without holding the lock.
            if (!limit.join().allowed()) {
                return null;
            }
            return transaction.execute(status -> store(request));
        } catch (DataIntegrityViolationException e) {
            // A repeat: the send with this client_msg_id committed first, into this conversation or another.
            MessageView original = messages.findByClientMsgId(request.senderId(), request.clientMsgId())
                    .orElseThrow(() -> e);
            return new SendResult(original, false);
        }
    }

    /** Stores the send and keeps it only if the limit allows it; rolls back when it refuses or has not answered. */
    private Attempt storeIfAllowed(
            SendRequest request, CompletableFuture<SendRateLimiter.Decision> limit, TransactionStatus status) {
        SendResult stored = store(request);
        SendRateLimiter.Decision decision = answerWithin(limit, limitWait);
        if (decision == null || !decision.allowed()) {
            status.setRollbackOnly();
            return new Attempt(null, decision != null);
        }
        return new Attempt(stored, true);
    }

    /** The limit's answer if it comes within {@code waitNanos}, else null. */
    private static SendRateLimiter.Decision answerWithin(
            CompletableFuture<SendRateLimiter.Decision> limit, long waitNanos) {
        try {
            return limit.get(waitNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            // Never: the limiter's futures do not fail. Should one, the send goes ahead, as when Redis is down.
            return new SendRateLimiter.Decision(true, Duration.ZERO);
        }
    }

    /** A store that ran: its result when kept, null when rolled back; {@code decided} false when the limit was late. */
    private record Attempt(SendResult result, boolean decided) {}

    private SendResult store(SendRequest request) {
        Instant createdAt = MessageStore.truncate(clock.instant());
        if (request.isPrivate()) {
            ConversationRef conversation = conversations
                    .claimNextSeq(privateConversationId(request, createdAt), createdAt, bounds)
                    .orElseThrow();
            List<Long> members = List.of(conversation.userLow(), conversation.userHigh());
            return new SendResult(appender.appendClaimed(conversation, members, request, createdAt), true);
        }
        // Claim first (which takes the lock), then read the members: a concurrent removal cannot slip in between.
        ConversationRef conversation = conversations
                .claimNextSeq(request.groupId(), createdAt, bounds)
                .filter(ConversationRef::isGroup)
                .orElseThrow(MessageSender::unknownGroup);
        List<Long> members = groupMembers.of(conversation);
        if (Collections.binarySearch(members, request.senderId()) < 0) {
            throw unknownGroup();
        }
        return new SendResult(appender.appendClaimed(conversation, members, request, createdAt), true);
    }

    private long privateConversationId(SendRequest request, Instant now) {
        return privateConversations
                .known(request.senderId(), request.receiverId())
                .orElseGet(() -> {
                    if (!users.exists(request.receiverId())) {
                        throw new SendRejectedException(RejectReason.UNKNOWN_RECEIVER, "no such user");
                    }
                    // First send between the two: creating their conversation may wait for a concurrent first send.
                    boundWaits();
                    return privateConversations.findOrCreate(request.senderId(), request.receiverId(), now);
                });
    }

    private static SendRejectedException unknownGroup() {
        return new SendRejectedException(RejectReason.UNKNOWN_GROUP, "no such group, or you are not a member");
    }

    /** For the rest of this transaction: fail instead of waiting long for a lock or a statement. */
    private void boundWaits() {
        jdbc.sql("SELECT set_config('lock_timeout', :lock, true), set_config('statement_timeout', :statement, true)")
                .param("lock", bounds.lockTimeout())
                .param("statement", bounds.statementTimeout())
                .query()
                .singleRow();
    }

    /** The answer to a repeated send; a repeated command also re-publishes the original to ack its session. */
    private SendResult repeated(MessageView original, SendRequest request) {
        if (request.origin() != null) {
            transaction.executeWithoutResult(status -> outbox.append(MessageAppender.created(
                    original, conversations.memberIds(original.conversationId()), request.origin())));
        }
        return new SendResult(original, false);
    }
}
