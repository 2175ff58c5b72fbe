package org.erpchat.message.sync;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.erpchat.message.message.MessageStore;
import org.erpchat.message.message.MessageView;
import org.erpchat.support.security.AuthenticatedUser;
import org.erpchat.support.web.ApiException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Everything the caller missed, page by page: for each conversation it belongs to, the messages after the position
 * the client last saw (0 for conversations it has never seen), ordered by conversation id then {@code seq}. The answer's
 * {@code positions} is the request's, advanced past the page: send it back while {@code has_more} is true. Positions
 * of conversations the caller is not in are ignored (and echoed back unchanged, revealing nothing).
 */
@RestController
class SyncController {

    record SyncRequest(Map<Long, Long> positions, Integer limit) {}

    record SyncPage(List<MessageView> messages, Map<Long, Long> positions, boolean hasMore) {}

    private final MessageStore messages;
    private final SyncProperties properties;

    SyncController(MessageStore messages, SyncProperties properties) {
        this.messages = messages;
        this.properties = properties;
    }

    @PostMapping("/api/sync")
    SyncPage sync(@AuthenticationPrincipal AuthenticatedUser user, @RequestBody(required = false) SyncRequest body) {
        Map<Long, Long> positions = new TreeMap<>();
        if (body != null && body.positions() != null) {
            if (body.positions().size() > properties.maxPositions()) {
                throw ApiException.badRequest(
                        "positions may list at most " + properties.maxPositions() + " conversations");
            }
            body.positions().forEach((conversationId, seq) -> {
                if (conversationId == null || conversationId <= 0 || seq == null || seq < 0) {
                    throw ApiException.badRequest("positions maps conversation ids to non-negative seq numbers");
                }
                positions.put(conversationId, seq);
            });
        }
        int limit = body == null || body.limit() == null ? properties.defaultLimit() : body.limit();
        if (limit < 1 || limit > properties.maxLimit()) {
            throw ApiException.badRequest("limit must be between 1 and " + properties.maxLimit());
        }
        MessageStore.Page page = messages.missedBy(user.id(), positions, limit);
        for (MessageView message : page.messages()) {
            positions.merge(message.conversationId(), message.seq(), Math::max);
        }
        return new SyncPage(page.messages(), positions, page.hasMore());
    }
}
