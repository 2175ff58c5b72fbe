package org.erpchat.gateway.protocol;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the frames the gateway sends, each {@code {"event": ..., "data": {...}}} as in the seed. Field names are
 * snake_case; docs/protocol.md documents every event with an example.
 */
public final class ServerEvents {

    private ServerEvents() {}

    /** Sent once, when the connection is authenticated. */
    public record Connected(
            String sessionId,
            long userId,
            String gatewayId,
            Instant tokenExpiresAt,
            long pingIntervalMs,
            long maxFrameBytes,
            long resumeWindowMs,
            boolean awaitingResume,
            boolean presenceBatch) {}

    public record MessageError(
            String clientMsgId, String code, String message, Long retryAfterMs, Long receiverId, Long groupId) {}

    public record UserTyping(
            long conversationId,
            String conversationType,
            Long receiverId,
            Long groupId,
            long userId,
            boolean isTyping) {}

    public record OnlineStatus(long userId, boolean isOnline, Instant lastSeenAt) {}

    public record ConversationRead(long conversationId, long userId, long readSeq) {}

    /**
     * The lists are for groups and changes of at most {@link #MAX_LISTED} users: one change of a 20,000-member group
     * would otherwise write its whole member list, 160 KB, to every member. Above that {@code memberIds} is null, and
     * {@code affectedUserIds} is null too except in an affected user's own frame, where it names just that user; the
     * counts are always there (message-service lists the members).
     */
    public record GroupUpdated(
            long groupId,
            String name,
            String change,
            long actorId,
            List<Long> affectedUserIds,
            int affectedCount,
            List<Long> memberIds,
            int memberCount) {

        /** The longest list a {@code group_updated} carries. */
        public static final int MAX_LISTED = 1_000;

        /** The frame for everyone the change concerns, but an affected user when {@link #listsAffected} is false. */
        public static GroupUpdated of(
                long groupId,
                String name,
                String change,
                long actorId,
                List<Long> affectedUserIds,
                List<Long> members) {
            return new GroupUpdated(
                    groupId,
                    name,
                    change,
                    actorId,
                    listsAffected(affectedUserIds) ? affectedUserIds : null,
                    affectedUserIds.size(),
                    members.size() > MAX_LISTED ? null : members,
                    members.size());
        }

        /** Whether everyone's frame names all the affected users; when not, each of them gets {@link #forAffected}. */
        public static boolean listsAffected(List<Long> affectedUserIds) {
            return affectedUserIds.size() <= MAX_LISTED;
        }

        /** This frame as an affected user gets it when the affected users are too many to list. */
        public GroupUpdated forAffected(long userId) {
            return new GroupUpdated(
                    groupId, name, change, actorId, List.of(userId), affectedCount, memberIds, memberCount);
        }
    }

    public record ResumeResult(boolean complete, int replayed, Map<String, Long> positions, String reason) {}

    public record Error(String code, String message, String event, String clientMsgId) {}

    public record Pong(Instant serverTime) {}

    public record TokenExpiring(Instant expiresAt) {}

    public record TokenRefreshed(Instant tokenExpiresAt) {}

    public static String frame(String event, Object data) {
        Map<String, Object> envelope = new LinkedHashMap<>(2);
        envelope.put("event", event);
        envelope.put("data", data);
        return WireJson.MAPPER.writeValueAsString(envelope);
    }

    public static String error(ProtocolException e) {
        return frame("error", new Error(e.code().wireName(), e.getMessage(), e.event(), e.clientMsgId()));
    }

    /** An {@code error} about a frame of the event {@code event}, found wrong after it was parsed. */
    public static String error(ErrorCode code, String message, String event) {
        return frame("error", new Error(code.wireName(), message, event, null));
    }
}
