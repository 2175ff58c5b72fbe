package org.erpchat.presence.query;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.util.List;

/** {@code POST /api/presence/query}: the users to look up (at most {@code chat.presence.max-query-size}). */
record PresenceQuery(@JsonProperty("user_ids") @NotNull List<@NotNull @Positive Long> userIds) {}
