package org.erpchat.gateway.typing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
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

    /**
     * A conversation and its participants. Asked about one member at a time for a large group (every typing frame,
     * every recipient of a group's typing), so its members are looked up in a set, made on the first question: a
     * message's participants are remembered for every message, and most are never asked about.
     */
    public static final class Participants {

        /** Lists this short are searched as they are. */
        private static final int SEARCHED_AS_LISTED = 16;

        private final long conversationId;
        private final ConversationKind kind;
        private final List<Long> memberIds;
        private final long expiresAtNanos;
        /** Made once by whichever thread asks first; a second thread making its own is harmless. */
        private volatile Set<Long> members;

        public Participants(long conversationId, ConversationKind kind, List<Long> memberIds, long expiresAtNanos) {
            this.conversationId = conversationId;
            this.kind = kind;
            this.memberIds = memberIds;
            this.expiresAtNanos = expiresAtNanos;
        }

        public long conversationId() {
            return conversationId;
        }

        public ConversationKind kind() {
            return kind;
        }

        public List<Long> memberIds() {
            return memberIds;
        }

        public long expiresAtNanos() {
            return expiresAtNanos;
        }

        /** When the directory learned them (nanotime). */
        long learnedAtNanos() {
            return expiresAtNanos - TTL_NANOS;
        }

        public boolean includes(long userId) {
            if (memberIds.size() <= SEARCHED_AS_LISTED) {
                return memberIds.contains(userId);
            }
            Set<Long> set = members;
            if (set == null) {
                set = new HashSet<>(memberIds);
                members = set;
            }
            return set.contains(userId);
        }
    }

    private static final long TTL_NANOS = Duration.ofSeconds(60).toNanos();

    /**
     * At most this many conversations, and as many users' private peers. When full, the entries least likely to be
     * asked for again make room (Caffeine's size bound, by how recently and how often each was used), not all of them:
     * a forgotten conversation costs a look-up at its next typing, and until its next event its typing goes to the
     * recipients the typer's gateway named. Maintenance runs on the thread that writes, so no other pool is involved.
     */
    static final int MAX_ENTRIES = 100_000;

    private final MessageServiceClient messageService;
    private final Cache<Long, Participants> conversations = bounded();
    private final ConcurrentMap<Long, Participants> byConversation = conversations.asMap();
    private final ConcurrentMap<Long, ConcurrentHashMap<Long, Long>> privateByUser =
            ConversationDirectory.<ConcurrentHashMap<Long, Long>>bounded().asMap();

    private static <V> Cache<Long, V> bounded() {
        return Caffeine.newBuilder()
                .maximumSize(MAX_ENTRIES)
                .executor(Runnable::run)
                .build();
    }

    public ConversationDirectory(MessageServiceClient messageService) {
        this.messageService = messageService;
    }

    /** The conversation, if the user takes part in it. May call message-service. */
    public Optional<Participants> conversation(Credentials asker, long conversationId) {
        Participants cached = fresh(byConversation.get(conversationId));
        if (cached != null && cached.includes(asker.user().id())) {
            return Optional.of(cached);
        }
        long asked = System.nanoTime();
        return messageService
                .conversation(asker.token(), conversationId)
                .map(found -> remember(found, asked))
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
        long asked = System.nanoTime();
        return messageService.privateConversation(asker.token(), peerId).map(found -> remember(found, asked));
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

    /**
     * An answer of message-service to a question asked at {@code asked} (nanotime). It is kept unless the directory
     * learned of the conversation from an event after the question was asked: that event may be a membership change
     * the answer, made before it, does not show.
     */
    private Participants remember(MessageServiceClient.Conversation conversation, long asked) {
        Participants participants = new Participants(
                conversation.id(),
                conversation.isGroup() ? ConversationKind.GROUP : ConversationKind.PRIVATE,
                List.copyOf(conversation.memberIds()),
                System.nanoTime() + TTL_NANOS);
        byConversation.merge(
                participants.conversationId(),
                participants,
                (known, answer) -> known.learnedAtNanos() - asked < 0 ? answer : known);
        if (!conversation.isGroup() && conversation.memberIds().size() == 2) {
            long a = conversation.memberIds().get(0);
            long b = conversation.memberIds().get(1);
            rememberPrivate(a, b, conversation.id());
            rememberPrivate(b, a, conversation.id());
        }
        return participants;
    }

    private void put(Participants participants) {
        byConversation.put(participants.conversationId(), participants);
    }

    /** How many conversations the directory holds now. */
    long conversationsKnown() {
        conversations.cleanUp();
        return conversations.estimatedSize();
    }

    private void rememberPrivate(long user, long peer, long conversationId) {
        privateByUser.computeIfAbsent(user, key -> new ConcurrentHashMap<>()).put(peer, conversationId);
    }

    private static Participants fresh(Participants participants) {
        return participants != null && participants.expiresAtNanos() - System.nanoTime() > 0 ? participants : null;
    }
}
