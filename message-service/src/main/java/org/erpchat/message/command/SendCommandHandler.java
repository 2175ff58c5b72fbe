package org.erpchat.message.command;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.erpchat.events.MessageRejected;
import org.erpchat.events.RejectReason;
import org.erpchat.events.SendMessageCommand;
import org.erpchat.message.message.MessageSender;
import org.erpchat.message.message.SendBatches;
import org.erpchat.message.message.SendRejectedException;
import org.erpchat.message.message.SendRequest;
import org.erpchat.message.outbox.Outbox;
import org.erpchat.message.user.UserRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One attempt at a {@link SendMessageCommand}, answered through the outbox: the send path (shared with REST) writes
 * {@code MessageCreated} with the command's origin, a refusal becomes {@code MessageRejected} for the sender's
 * session. Any other failure propagates; {@link CommandDispatcher} decides whether to retry or answer it.
 */
@Component
class SendCommandHandler {

    private static final Logger log = LoggerFactory.getLogger(SendCommandHandler.class);

    private final MessageSender sender;
    private final SendBatches batches;
    private final UserRegistry users;
    private final Outbox outbox;
    private final TransactionTemplate transaction;
    private final Clock clock;

    SendCommandHandler(
            MessageSender sender,
            SendBatches batches,
            UserRegistry users,
            Outbox outbox,
            PlatformTransactionManager transactionManager,
            Clock clock) {
        this.sender = sender;
        this.batches = batches;
        this.users = users;
        this.outbox = outbox;
        this.transaction = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    void handle(SendMessageCommand command) {
        // The gateway authenticated this user; make sure others can find and reach them.
        users.recordSeen(command.senderId(), null);
        try {
            sender.send(request(command));
        } catch (SendRejectedException e) {
            log.debug("Send command {} of user {} refused: {}", command.clientMsgId(), command.senderId(), e.reason());
            reject(command, e.reason(), e.detail(), e.retryAfter());
        }
    }

    /**
     * Stores all of {@code commands} in one transaction, or none of them ({@link SendBatches}): false when they must be
     * handled one by one.
     */
    /** Whether the command can be stored with others ({@link SendBatches#canJoin}). */
    boolean canJoin(SendMessageCommand command) {
        return batches.canJoin(request(command));
    }

    boolean handleTogether(List<SendMessageCommand> commands) {
        List<SendRequest> requests = new ArrayList<>(commands.size());
        for (SendMessageCommand command : commands) {
            users.recordSeen(command.senderId(), null);
            requests.add(request(command));
        }
        return batches.sendTogether(requests).isPresent();
    }

    private static SendRequest request(SendMessageCommand command) {
        return new SendRequest(
                command.senderId(),
                command.receiverId(),
                command.groupId(),
                command.type(),
                command.content(),
                command.fileId(),
                command.clientMsgId(),
                command.origin(),
                // The rate limit judges the send at the pace the user sent it, not at the pace it reached us.
                command.issuedAt());
    }

    /** Answers the command with {@code MessageRejected}; nothing of it is stored. */
    void reject(SendMessageCommand command, RejectReason reason, String detail, Duration retryAfter) {
        Long retryAfterMillis = retryAfter == null ? null : Math.max(1, retryAfter.toMillis());
        append(new MessageRejected(
                command.senderId(),
                command.clientMsgId(),
                command.receiverId(),
                command.groupId(),
                reason,
                detail,
                retryAfterMillis,
                command.origin(),
                clock.instant()));
    }

    /** Answers a command this service could not read, with what could be read of it; nothing of it is stored. */
    void rejectUnreadable(UnreadableCommands.Sender sender, String detail) {
        append(new MessageRejected(
                sender.senderId(),
                sender.clientMsgId(),
                sender.receiverId(),
                sender.groupId(),
                RejectReason.INTERNAL_ERROR,
                detail,
                null,
                sender.origin(),
                clock.instant()));
    }

    private void append(MessageRejected rejected) {
        transaction.executeWithoutResult(status -> outbox.append(rejected));
    }
}
