package org.erpchat.presence.query;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code GET /api/presence/online}: the ids of every online user, ascending. */
record OnlineUsersResponse(@JsonProperty("user_ids") List<Long> userIds) {}
