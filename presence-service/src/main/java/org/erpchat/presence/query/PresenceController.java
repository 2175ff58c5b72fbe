package org.erpchat.presence.query;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Positive;
import java.util.LinkedHashSet;
import java.util.List;
import org.erpchat.presence.PresenceProperties;
import org.erpchat.support.web.ApiException;
import org.erpchat.support.web.ProblemResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Presence lookups for clients and gateways. Any authenticated user may ask about any user, as in the seed; the token
 * is checked by service-support's filter chain.
 */
@RestController
@RequestMapping("/api/presence")
@Tag(name = "presence", description = "Who is online, and when users were last seen")
@SecurityRequirement(name = "bearer")
class PresenceController {

    /** 400: a bulk query over {@code chat.presence.max-query-size} ids. */
    static final String TOO_MANY_USER_IDS = "too_many_user_ids";

    private final PresenceReader reader;
    private final int maxQuerySize;

    PresenceController(PresenceReader reader, PresenceProperties properties) {
        this.reader = reader;
        this.maxQuerySize = properties.maxQuerySize();
    }

    @GetMapping("/online")
    @Operation(operationId = "getOnlineUsers", summary = "The ids of every online user")
    OnlineUsersResponse online() {
        return new OnlineUsersResponse(reader.onlineUsers());
    }

    @GetMapping("/{userId}")
    @Operation(operationId = "getPresence", summary = "One user's presence")
    PresenceResponse presence(@PathVariable @Positive long userId) {
        return PresenceResponse.of(reader.presence(userId));
    }

    @PostMapping("/query")
    @ProblemResponse(status = 400, code = TOO_MANY_USER_IDS, when = "more ids than `chat.presence.max-query-size`")
    @Operation(operationId = "queryPresence", summary = "Presence of several users, in the order asked (each id once)")
    List<PresenceResponse> query(@RequestBody @Valid PresenceQuery query) {
        if (query.userIds().size() > maxQuerySize) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    TOO_MANY_USER_IDS,
                    "At most " + maxQuerySize + " user ids per query, got "
                            + query.userIds().size());
        }
        List<Long> distinct = List.copyOf(new LinkedHashSet<>(query.userIds()));
        return reader.presence(distinct).stream().map(PresenceResponse::of).toList();
    }
}
