package org.erpchat.message.read;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.erpchat.events.ConversationRead;
import org.erpchat.message.conversation.ConversationRef;
import org.erpchat.message.conversation.ConversationStore;
import org.erpchat.message.outbox.Outbox;
import org.erpchat.support.domain.RefusedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Read markers. A marker only moves forward (a lower {@code seq} is a no-op, a {@code seq} past the last message
 * stops at the last message); when it moves, {@code ConversationRead} goes to the reader's other sessions and, in a
 * private conversation, to the peer (read receipts). The answer says whether it moved, so a caller that relays the
 * marker (the gateway) knows whether a {@code ConversationRead} will follow.
 */
@Service
class ReadMarkers {

    /** @param moved whether this call moved the marker (and so emitted {@code ConversationRead}) */
    record ReadState(
            @Schema(requiredMode = REQUIRED) long conversationId,
            @Schema(requiredMode = REQUIRED) long readSeq,
            @Schema(requiredMode = REQUIRED) long unreadCount,

            @Schema(requiredMode = REQUIRED, description = "whether the marker moved")
            boolean moved) {}

    private final ConversationStore conversations;
    private final Outbox outbox;
    private final Clock clock;

    ReadMarkers(ConversationStore conversations, Outbox outbox, Clock clock) {
        this.conversations = conversations;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Transactional
    public ReadState markRead(long userId, long conversationId, long seq) {
        ConversationRef conversation = conversations
                .findForMember(conversationId, userId)
                .orElseThrow(() -> RefusedException.notFound("conversation"));
        long target = Math.min(seq, conversation.lastSeq());
        Optional<Long> advanced = conversations.advanceReadSeq(conversationId, userId, target);
        advanced.ifPresent(readSeq -> {
            List<Long> notify = new ArrayList<>(List.of(userId));
            if (!conversation.isGroup()) {
                notify.add(conversation.peerOf(userId));
            }
            outbox.append(new ConversationRead(
                    conversationId, conversation.kind(), userId, readSeq, notify, clock.instant()));
        });
        // The membership was read without a lock: a leave or removal committed since then answers as if it had
        // come first (not found), not with a failure.
        long readSeq = conversations
                .member(conversationId, userId)
                .orElseThrow(() -> RefusedException.notFound("conversation"))
                .readSeq();
        return new ReadState(
                conversationId, readSeq, Math.max(0, conversation.lastSeq() - readSeq), advanced.isPresent());
    }
}
