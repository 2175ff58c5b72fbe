package org.erpchat.gateway.typing;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.erpchat.events.ConversationKind;
import org.erpchat.events.GroupMembershipChanged;
import org.erpchat.events.MessageCreated;
import org.erpchat.gateway.backend.MessageServiceClient;
import org.erpchat.gateway.session.Credentials;
import org.springframework.stereotype.Component;

/**
 * Who takes part in which conversation, as far as this gateway needs to know to route typing: looked up from
 * message-service with the asking user's own token (so it never learns what the user may not see), kept for a short
 * while, refreshed by every message and membership event that passes by.
 */
@Component
public class ConversationDirectory {

    /** A conversation and its participants. */
    public record Participants(long conversationId, ConversationKind kind, List<Long> memberIds, long expiresAtNanos) {
        public boolean includes(long userId) {
            return memberIds.contains(userId);
        }
    }

    private static final long TTL_NANOS = Duration.ofSeconds(60).toNanos();
    private static final int MAX_ENTRIES = 100_000;

    private final MessageServiceClient messageService;
    private final ConcurrentHashMap<Long, Participants> byConversation = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, ConcurrentHashMap<Long, Long>> privateByUser = new ConcurrentHashMap<>();

    public ConversationDirectory(MessageServiceClient messageService) {
        this.messageService = messageService;
    }

    /** The conversation, if the user takes part in it. May call message-service. */
    public Optional<Participants> conversation(Credentials asker, long conversationId) {
        Participants cached = fresh(byConversation.get(conversationId));
        if (cached != null && cached.includes(asker.user().id())) {
            return Optional.of(cached);
        }
        return messageService
                .conversation(asker.token(), conversationId)
                .map(this::remember)
                .filter(participants -> participants.includes(asker.user().id()));
    }

    /** The user's private conversation with {@code peerId}, if one exists. May call message-service. */
    public Optional<Participants> privateConversation(Credentials asker, long peerId) {
        long userId = asker.user().id();
        Long known =
                privateByUser.getOrDefault(userId, new ConcurrentHashMap<>()).get(peerId);
        if (known != null) {
            Participants cached = fresh(byConversation.get(known));
            if (cached != null && cached.includes(userId)) {
                return Optional.of(cached);
            }
        }
        return messageService.privateConversation(asker.token(), peerId).map(this::remember);
    }

    /**
     * The participants this gateway learned of last, however long ago, without calling message-service. Every
     * membership change and every message passes by every gateway, so this is the newest membership it has seen;
     * meant for leaving people out (a member whose removal passed by is not in it), not for letting anyone in.
     */
    public Optional<Participants> lastKnown(long conversationId) {
        return Optional.ofNullable(byConversation.get(conversationId));
    }

    /** {@code earlier}, or what this gateway learned of that conversation after it (a removal, say). */
    public Participants latest(Participants earlier) {
        Participants known = byConversation.get(earlier.conversationId());
        return known != null && known.expiresAtNanos() - earlier.expiresAtNanos() >= 0 ? known : earlier;
    }

    /** Every message names all participants at send time: the freshest membership there is. */
    public void learn(MessageCreated event) {
        put(new Participants(
                event.conversationId(), event.conversationKind(), event.recipientIds(), System.nanoTime() + TTL_NANOS));
        if (event.conversationKind() == ConversationKind.PRIVATE
                && event.recipientIds().size() == 2) {
            long a = event.recipientIds().get(0);
            long b = event.recipientIds().get(1);
            rememberPrivate(a, b, event.conversationId());
            rememberPrivate(b, a, event.conversationId());
        }
    }

    public void learn(GroupMembershipChanged event) {
        put(new Participants(
                event.groupId(), ConversationKind.GROUP, event.memberIds(), System.nanoTime() + TTL_NANOS));
    }

    private Participants remember(MessageServiceClient.Conversation conversation) {
        Participants participants = new Participants(
                conversation.id(),
                conversation.isGroup() ? ConversationKind.GROUP : ConversationKind.PRIVATE,
                List.copyOf(conversation.memberIds()),
                System.nanoTime() + TTL_NANOS);
        put(participants);
        if (!conversation.isGroup() && conversation.memberIds().size() == 2) {
            long a = conversation.memberIds().get(0);
            long b = conversation.memberIds().get(1);
            rememberPrivate(a, b, conversation.id());
            rememberPrivate(b, a, conversation.id());
        }
        return participants;
    }

    private void put(Participants participants) {
        if (byConversation.size() >= MAX_ENTRIES) {
            // A cache, not a source of truth: start over rather than track recency on every hit.
            byConversation.clear();
            privateByUser.clear();
        }
        byConversation.put(participants.conversationId(), participants);
    }

    private void rememberPrivate(long user, long peer, long conversationId) {
        if (privateByUser.size() >= MAX_ENTRIES) {
            privateByUser.clear();
        }
        privateByUser.computeIfAbsent(user, key -> new ConcurrentHashMap<>()).put(peer, conversationId);
    }

    private static Participants fresh(Participants participants) {
        return participants != null && participants.expiresAtNanos() - System.nanoTime() > 0 ? participants : null;
    }
}
