package org.erpchat.message.sync;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.Map;
import org.erpchat.message.message.MessageStore;
import org.erpchat.support.security.AuthenticatedUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Everything the caller missed, page by page: for each conversation it belongs to, the messages after the position
 * the client last saw (0 for conversations it has never seen), ordered by conversation id then {@code seq}. The answer's
 * {@code positions} is the request's, advanced past the page: send it back while {@code has_more} is true. A position
 * beyond its conversation's last {@code seq} (the client holds a position the server never reached: state kept across
 * a restore of the database, say) comes back as that {@code seq}, or, with {@code as_of}, as the {@code seq} before the
 * first message stored after it; when that is below the last {@code seq}, the page says {@code has_more} (it read from
 * the position given, past the end), so a client that sends the positions back while {@code has_more} is true gets
 * what follows. Positions of conversations the caller is not in are ignored (and echoed back unchanged, revealing
 * nothing).
 */
@RestController
@Tag(name = "sync")
class SyncController {

    /**
     * @param asOf for a position beyond its conversation's last {@code seq}: the answer's position is the {@code seq}
     *     before the first message stored after this instant (a little before the client's session opened: what was
     *     stored since is news to it, whatever it claims), or the last {@code seq} when absent
     */
    record SyncRequest(
            @Schema(nullable = true, description = "conversation id to the last `seq` the client saw")
            Map<String, Long> positions,

            @Schema(nullable = true, minimum = "1") Integer limit,

            @Schema(
                    ref = "#/components/schemas/AsOf",
                    description = "for a position beyond its conversation's last `seq`: see docs/architecture.md")
            Instant asOf) {}

    private final MessageStore messages;
    private final SyncRules rules;

    SyncController(MessageStore messages, SyncRules rules) {
        this.messages = messages;
        this.rules = rules;
    }

    @PostMapping("/api/sync")
    @Operation(operationId = "sync")
    SyncPage sync(@AuthenticationPrincipal AuthenticatedUser user, @RequestBody SyncRequest body) {
        // The body is required, as on every other POST: an empty one, or the JSON null, is no request ({} is: it
        // syncs every conversation from its start).
        Map<Long, Long> positions = rules.positions(body.positions());
        int limit = rules.limit(body.limit());
        Instant asOf = rules.asOf(body.asOf());
        return SyncPage.of(positions, messages.missedBy(user.id(), positions, limit, asOf));
    }
}
