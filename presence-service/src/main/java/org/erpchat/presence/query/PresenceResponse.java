package org.erpchat.presence.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** One user's presence. {@code last_seen_at} is null for a user never seen since the presence data began. */
record PresenceResponse(
        @JsonProperty("user_id") long userId,
        @JsonProperty("is_online") boolean online,

        @JsonProperty("last_seen_at")
        @JsonInclude(JsonInclude.Include.ALWAYS)
        @Schema(nullable = true, description = "last time the user had a live session")
        Instant lastSeenAt) {

    static PresenceResponse of(UserPresence presence) {
        return new PresenceResponse(presence.userId(), presence.online(), presence.lastSeenAt());
    }
}
