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
 * Stores a message in a conversation whose row the caller has locked ({@link ConversationStore#lock}): assigns the
 * next {@code seq}, inserts the row, writes {@code MessageCreated} to the outbox and moves the sender's read marker to
 * the new message. User sends and the group's system messages both come through here.
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
        MessageView message = new MessageView(
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
        messages.insert(message);
        // Everyone in the conversation now, sender included: a gateway routes without asking us.
        outbox.append(created(message, conversations.memberIds(conversation.id()), origin));
        conversations.advanceReadSeq(conversation.id(), senderId, seq);
        return message;
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
