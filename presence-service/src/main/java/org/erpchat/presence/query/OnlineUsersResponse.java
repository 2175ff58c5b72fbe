package org.erpchat.presence.query;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** {@code GET /api/presence/online}: the ids of every online user, ascending. */
@Schema(name = "OnlineUsers")
record OnlineUsersResponse(
        @JsonProperty("user_ids") @Schema(requiredMode = REQUIRED, description = "ascending")
        List<Long> userIds) {}
