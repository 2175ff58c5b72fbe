package org.erpchat.presence.query;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.util.List;

/** {@code POST /api/presence/query}: the users to look up (at most {@code chat.presence.max-query-size}). */
record PresenceQuery(
        @JsonProperty("user_ids") @ArraySchema(arraySchema = @Schema(requiredMode = REQUIRED)) @NotNull
        List<@NotNull @Positive Long> userIds) {}
