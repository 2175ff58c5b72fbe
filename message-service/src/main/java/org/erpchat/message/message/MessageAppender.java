package org.erpchat.message.message;

import java.time.Instant;
import java.util.List;
import org.erpchat.events.MessageCreated;
import org.erpchat.events.MessageType;
import org.erpchat.events.SendOrigin;
import org.erpchat.message.conversation.ConversationRef;
import org.erpchat.message.conversation.ConversationStore;
import org.erpchat.message.outbox.Outbox;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stores a message in a conversation whose row the caller has locked: assigns the next {@code seq} (or takes the one
 * the caller claimed with {@link ConversationStore#claimNextSeq}), inserts the row, writes {@code MessageCreated} to
 * the outbox and moves the sender's read marker to the new message. User sends and the group's system messages both
 * come through here.
 */
@Component
public class MessageAppender {

    private final ConversationStore conversations;
    private final MessageStore messages;
    private final Outbox outbox;

    MessageAppender(ConversationStore conversations, MessageStore messages, Outbox outbox) {
        this.conversations = conversations;
        this.messages = messages;
        this.outbox = outbox;
    }

    /** Appends to a conversation the caller has locked ({@link ConversationStore#lock}). */
    @Transactional(propagation = Propagation.MANDATORY)
    public MessageView append(
            ConversationRef conversation,
            long senderId,
            MessageType type,
            String content,
            String fileId,
            String clientMsgId,
            SendOrigin origin,
            Instant now) {
        Instant createdAt = MessageStore.truncate(now);
        long seq = conversations.nextSeq(conversation.id(), createdAt);
        MessageView message = view(conversation, seq, senderId, type, content, fileId, clientMsgId, createdAt);
        store(message, conversations.memberIds(conversation.id()), origin);
        return message;
    }

    /**
     * Appends at the {@code seq} the caller claimed, and holds the lock of, with
     * {@link ConversationStore#claimNextSeq} ({@code claimed.lastSeq()}), sent at {@code createdAt} (whole
     * milliseconds), to {@code memberIds}: everyone in the conversation now, sender included.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    MessageView appendClaimed(ConversationRef claimed, List<Long> memberIds, SendRequest request, Instant createdAt) {
        MessageView message = view(claimed, claimed.lastSeq(), request, createdAt);
        store(message, memberIds, request.origin());
        return message;
    }

    private void store(MessageView message, List<Long> memberIds, SendOrigin origin) {
        // Everyone in the conversation now, sender included: a gateway routes without asking us.
        messages.insert(message, outbox.entry(created(message, memberIds, origin)));
    }

    /** {@code request} as the message it becomes at {@code seq} of {@code conversation}. */
    static MessageView view(ConversationRef conversation, long seq, SendRequest request, Instant createdAt) {
        return view(
                conversation,
                seq,
                request.senderId(),
                request.type(),
                request.content(),
                request.fileId(),
                request.clientMsgId(),
                createdAt);
    }

    private static MessageView view(
            ConversationRef conversation,
            long seq,
            long senderId,
            MessageType type,
            String content,
            String fileId,
            String clientMsgId,
            Instant createdAt) {
        return new MessageView(
                UuidV7.at(createdAt.toEpochMilli()).toString(),
                conversation.id(),
                conversation.kind(),
                seq,
                senderId,
                conversation.isGroup() ? null : conversation.peerOf(senderId),
                conversation.isGroup() ? conversation.id() : null,
                content,
                type,
                fileId,
                clientMsgId,
                createdAt);
    }

    static MessageCreated created(MessageView message, List<Long> recipientIds, SendOrigin origin) {
        return new MessageCreated(
                message.id(),
                message.conversationId(),
                message.conversationType(),
                message.seq(),
                message.senderId(),
                recipientIds,
                message.type(),
                message.content(),
                message.fileId(),
                message.clientMsgId(),
                message.createdAt(),
                origin);
    }
}
