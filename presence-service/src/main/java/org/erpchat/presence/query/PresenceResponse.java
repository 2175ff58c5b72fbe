package org.erpchat.presence.query;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** One user's presence. {@code last_seen_at} is null for a user never seen since the presence data began. */
@Schema(name = "Presence", description = "One user's presence; every field is always present.")
record PresenceResponse(
        @JsonProperty("user_id") @Schema(requiredMode = REQUIRED)
        long userId,

        @JsonProperty("is_online") @Schema(requiredMode = REQUIRED)
        boolean online,

        @JsonProperty("last_seen_at")
        @JsonInclude(JsonInclude.Include.ALWAYS)
        @Schema(
                requiredMode = REQUIRED,
                nullable = true,
                description = "last time the user had a live session; null for a user never seen since the presence"
                        + " data began")
        Instant lastSeenAt) {

    static PresenceResponse of(UserPresence presence) {
        return new PresenceResponse(presence.userId(), presence.online(), presence.lastSeenAt());
    }
}
