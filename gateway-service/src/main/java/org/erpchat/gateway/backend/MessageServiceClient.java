package org.erpchat.gateway.backend;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.protocol.StoredMessage;
import org.springframework.stereotype.Component;

/** message-service's REST API as the gateway uses it (docs/architecture.md has the full API). */
@Component
public class MessageServiceClient {

    /** One page of {@code POST /api/sync}. */
    public record SyncPage(List<StoredMessage> messages, Map<String, Long> positions, boolean hasMore) {}

    /** One page of a conversation's history. */
    public record HistoryPage(List<StoredMessage> messages, boolean hasMore) {}

    /** What the gateway needs of a conversation: who takes part. */
    public record Conversation(long id, String type, Long groupId, Long peerId, List<Long> memberIds) {
        public boolean isGroup() {
            return "group".equals(type);
        }
    }

    /**
     * @param moved whether this call moved the marker (then message-service announces it with
     *     {@code ConversationRead}); null from a message-service that does not say
     */
    public record ReadMarker(long conversationId, long readSeq, long unreadCount, Boolean moved) {}

    record Contacts(List<Long> userIds) {}

    /**
     * One user's answer in {@code POST /api/contacts/batch}: their contacts, or {@code error} for a rejected token.
     * message-service leaves the other alternative's fields out (one from before that wrote them as null): either way
     * they read as null here, and {@code error} tells the two apart.
     */
    public record UserContacts(Long userId, List<Long> userIds, String error) {}

    record ContactsBatchRequest(List<String> tokens, int maxGroupSize) {}

    record ContactsBatch(List<UserContacts> results) {}

    record SyncRequest(Map<String, Long> positions, int limit, Instant asOf) {}

    /** One user's request in {@code POST /api/sync/batch}: {@link #sync} as the holder of {@code token}. */
    public record UserSyncRequest(String token, Map<String, Long> positions, int limit, Instant asOf) {}

    /**
     * One user's answer in {@code POST /api/sync/batch}: what {@link #sync} would have answered them, or {@code error}
     * ({@code token_rejected}, {@code invalid_request} with {@code detail}). The other alternative's fields read as
     * null, whether message-service left them out or (before it did) wrote them as null.
     */
    public record UserSync(
            Long userId,
            List<StoredMessage> messages,
            Map<String, Long> positions,
            Boolean hasMore,
            String error,
            String detail) {}

    record SyncBatchRequest(List<UserSyncRequest> requests) {}

    record SyncBatch(List<UserSync> results) {}

    record ReadRequest(long seq) {}

    private final JsonHttp http;

    public MessageServiceClient(GatewayProperties properties) {
        this.http = new JsonHttp(properties.messageService());
    }

    /** Messages past {@code positions} in every conversation of the user; conversations not listed start at 0. */
    public SyncPage sync(String token, Map<String, Long> positions, int limit, Instant asOf) {
        return http.post(token, new SyncRequest(positions, limit, asOf), SyncPage.class, "/api/sync");
    }

    /**
     * {@link #sync} for many users at once, each named by their own token; one answer per request, in order. The call
     * itself is made with {@code token}.
     */
    public List<UserSync> syncOf(String token, List<UserSyncRequest> requests) {
        List<UserSync> results = http.post(token, new SyncBatchRequest(requests), SyncBatch.class, "/api/sync/batch")
                .results();
        if (results == null || results.size() != requests.size()) {
            throw new BackendException(
                    BackendException.Kind.UNAVAILABLE, "sync batch answered for other requests", null, null);
        }
        return results;
    }

    public HistoryPage after(String token, long conversationId, long afterSeq, int limit) {
        return http.get(
                token,
                HistoryPage.class,
                "/api/conversations/{id}/messages?after={after}&limit={limit}",
                conversationId,
                afterSeq,
                limit);
    }

    /** The conversation, when the user takes part in it. */
    public Optional<Conversation> conversation(String token, long conversationId) {
        return notFoundAsEmpty(() -> http.get(token, Conversation.class, "/api/conversations/{id}", conversationId));
    }

    /** The user's private conversation with {@code peerId}, when one exists. */
    public Optional<Conversation> privateConversation(String token, long peerId) {
        return notFoundAsEmpty(
                () -> http.get(token, Conversation.class, "/api/conversations/private/{peerId}", peerId));
    }

    /** Who shares a private conversation, or a group of at most {@code maxGroupSize} members, with the caller. */
    public List<Long> contacts(String token, int maxGroupSize) {
        List<Long> ids = http.get(token, Contacts.class, "/api/contacts?max_group_size=" + maxGroupSize)
                .userIds();
        return ids == null ? List.of() : ids;
    }

    /**
     * {@link #contacts} for many users at once, each named by their own token; one answer per token, in order. The call
     * itself is made with {@code token}.
     */
    public List<UserContacts> contactsOf(String token, List<String> tokens, int maxGroupSize) {
        List<UserContacts> results = http.post(
                        token,
                        new ContactsBatchRequest(tokens, maxGroupSize),
                        ContactsBatch.class,
                        "/api/contacts/batch")
                .results();
        if (results == null || results.size() != tokens.size()) {
            throw new BackendException(
                    BackendException.Kind.UNAVAILABLE, "contacts batch answered for other tokens", null, null);
        }
        return results;
    }

    public ReadMarker markRead(String token, long conversationId, long seq) {
        return http.post(token, new ReadRequest(seq), ReadMarker.class, "/api/conversations/{id}/read", conversationId);
    }

    private static <T> Optional<T> notFoundAsEmpty(java.util.function.Supplier<T> call) {
        try {
            return Optional.of(call.get());
        } catch (BackendException e) {
            if (e.kind() == BackendException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
