package org.erpchat.message.message;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.erpchat.events.ConversationKind;
import org.erpchat.events.RejectReason;
import org.erpchat.message.conversation.ConversationRef;
import org.erpchat.message.conversation.ConversationStore;
import org.erpchat.message.outbox.Outbox;
import org.erpchat.message.ratelimit.SendRateLimiter;
import org.erpchat.message.user.UserRegistry;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one send path, for REST and Kafka commands alike: validate, deduplicate, rate-limit, store.
 *
 * <p><b>Idempotency.</b> {@code (sender_id, client_msg_id)} is unique for good. A repeat is answered with the stored
 * original, found (1) before anything else, which costs no rate-limit token, (2) again after taking the conversation
 * lock, which catches a concurrent repeat into the same conversation, and (3) after a unique violation, which catches
 * a concurrent repeat into another conversation. REST repeats publish nothing; a repeated command re-publishes the
 * original {@code MessageCreated} with the new command's origin so the retrying session gets its acknowledgement.
 *
 * <p><b>Rate limit.</b> A send is judged at {@code issuedAt} (commands) or now (REST). A send that takes a token and is
 * then not stored because the database failed gives the token back: retrying it (a parked command is retried until
 * the database is back) must not use up the sender's allowance.
 *
 * <p><b>Bounded waits.</b> The store transaction sets {@code lock_timeout} and {@code statement_timeout}
 * ({@code chat.message.send.*}), so a stuck conversation lock fails the send as a transient database error.
 */
@Service
public class MessageSender {

    private final SendValidator validator;
    private final SendRateLimiter rateLimiter;
    private final ConversationStore conversations;
    private final MessageStore messages;
    private final MessageAppender appender;
    private final UserRegistry users;
    private final Outbox outbox;
    private final MessageMetrics metrics;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final JdbcClient jdbc;
    private final String lockTimeout;
    private final String statementTimeout;

    MessageSender(
            SendValidator validator,
            SendRateLimiter rateLimiter,
            ConversationStore conversations,
            MessageStore messages,
            MessageAppender appender,
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
        this.messages = messages;
        this.appender = appender;
        this.users = users;
        this.outbox = outbox;
        this.metrics = metrics;
        this.transaction = new TransactionTemplate(transactionManager);
        this.clock = clock;
        this.jdbc = jdbc;
        this.lockTimeout = limits.lockTimeout().toMillis() + "ms";
        this.statementTimeout = limits.statementTimeout().toMillis() + "ms";
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
        SendRequest request = validator.validate(unchecked);
        if (request.clientMsgId() == null) {
            // REST sends without a client id get one of ours: stored like any other, never matched by a retry.
            request = request.normalized(request.type(), request.content(), "srv-" + UuidV7.next());
        } else {
            Optional<MessageView> original = messages.findByClientMsgId(request.senderId(), request.clientMsgId());
            if (original.isPresent()) {
                return repeated(original.get(), request);
            }
        }
        SendRateLimiter.Decision decision = rateLimiter.tryAcquire(request.senderId(), request.issuedAt());
        if (!decision.allowed()) {
            throw new SendRejectedException(
                    RejectReason.RATE_LIMITED, "too many messages, slow down", decision.retryAfter());
        }
        SendResult result;
        try {
            result = storeOrFindRepeat(request);
        } catch (SendRejectedException e) {
            throw e;
        } catch (RuntimeException e) {
            // Not stored, not refused: the send did not happen, so it costs nothing; a retry is judged afresh.
            rateLimiter.refund(request.senderId(), request.issuedAt());
            throw e;
        }
        if (!result.created()) {
            return repeated(result.message(), request);
        }
        metrics.sent(result.message().conversationType(), request.origin() != null);
        return result;
    }

    private SendResult storeOrFindRepeat(SendRequest request) {
        try {
            return transaction.execute(status -> store(request));
        } catch (DataIntegrityViolationException e) {
            // A concurrent send with the same client_msg_id (into another conversation) committed first.
            MessageView original = messages.findByClientMsgId(request.senderId(), request.clientMsgId())
                    .orElseThrow(() -> e);
            return new SendResult(original, false);
        }
    }

    private SendResult store(SendRequest request) {
        boundWaits();
        Instant now = clock.instant();
        ConversationRef conversation = lockedConversation(request, now);
        // Under the lock: a concurrent repeat into this conversation has committed by now, or has not started.
        Optional<MessageView> original = messages.findByClientMsgId(request.senderId(), request.clientMsgId());
        if (original.isPresent()) {
            return new SendResult(original.get(), false);
        }
        MessageView message = appender.append(
                conversation,
                request.senderId(),
                request.type(),
                request.content(),
                request.fileId(),
                request.clientMsgId(),
                request.origin(),
                now);
        return new SendResult(message, true);
    }

    private ConversationRef lockedConversation(SendRequest request, Instant now) {
        if (request.isPrivate()) {
            if (!users.exists(request.receiverId())) {
                throw new SendRejectedException(RejectReason.UNKNOWN_RECEIVER, "no such user");
            }
            long id = conversations.findOrCreatePrivate(request.senderId(), request.receiverId(), now);
            return conversations.lock(id).orElseThrow();
        }
        // Lock first, then check membership: a concurrent removal cannot slip in between.
        return conversations
                .lock(request.groupId())
                .filter(conversation -> conversation.kind() == ConversationKind.GROUP)
                .filter(conversation -> conversations
                        .member(conversation.id(), request.senderId())
                        .isPresent())
                .orElseThrow(() -> new SendRejectedException(
                        RejectReason.UNKNOWN_GROUP, "no such group, or you are not a member"));
    }

    /** For the rest of this transaction: fail instead of waiting long for a lock or a statement. */
    private void boundWaits() {
        jdbc.sql("SELECT set_config('lock_timeout', :lock, true), set_config('statement_timeout', :statement, true)")
                .param("lock", lockTimeout)
                .param("statement", statementTimeout)
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
