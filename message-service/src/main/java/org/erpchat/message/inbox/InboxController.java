package org.erpchat.message.inbox;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Positive;
import java.util.List;
import org.erpchat.message.conversation.ConversationStore;
import org.erpchat.message.web.Paging;
import org.erpchat.support.security.AuthenticatedUser;
import org.erpchat.support.web.ApiException;
import org.erpchat.support.web.ProblemCodes;
import org.erpchat.support.web.ProblemResponse;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The caller's conversations and contacts. Conversations the caller is not in answer 404, like missing ones. */
@RestController
@Tag(name = "conversations")
class InboxController {

    private static final String NO_CONVERSATION =
            "no such conversation, or the caller is not in it (indistinguishable)";

    record ConversationPage(
            @Schema(requiredMode = REQUIRED) List<ConversationView> conversations,

            @Schema(requiredMode = REQUIRED, nullable = true, description = "null on the last page")
            String nextCursor) {}

    record Contacts(@Schema(requiredMode = REQUIRED) List<Long> userIds) {}

    private final InboxQueries queries;
    private final ConversationStore conversations;
    private final InboxProperties properties;

    InboxController(InboxQueries queries, ConversationStore conversations, InboxProperties properties) {
        this.queries = queries;
        this.conversations = conversations;
        this.properties = properties;
    }

    /** Most recent activity first; pass {@code next_cursor} back as {@code cursor} for the next page. */
    @GetMapping("/api/conversations")
    @Operation(operationId = "listConversations")
    ConversationPage list(
            @AuthenticationPrincipal AuthenticatedUser user,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        int pageSize = Paging.pageSize(limit, properties.defaultLimit(), properties.maxLimit());
        InboxQueries.Cursor after = Paging.after(cursor, InboxQueries.Cursor::decode);
        InboxQueries.Page page = queries.page(user.id(), after, pageSize);
        return new ConversationPage(
                page.conversations(), page.next() == null ? null : page.next().encode());
    }

    @GetMapping("/api/conversations/{id}")
    @Operation(operationId = "getConversation")
    @ProblemResponse(status = 404, code = ProblemCodes.NOT_FOUND, when = NO_CONVERSATION)
    ConversationView one(@AuthenticationPrincipal AuthenticatedUser user, @PathVariable long id) {
        return queries.one(user.id(), id).orElseThrow(() -> ApiException.notFound("conversation"));
    }

    @GetMapping("/api/conversations/private/{peerId}")
    @Operation(operationId = "getPrivateConversation")
    @ProblemResponse(status = 404, code = ProblemCodes.NOT_FOUND, when = "no private conversation with that user yet")
    ConversationView privateWith(@AuthenticationPrincipal AuthenticatedUser user, @PathVariable long peerId) {
        return conversations
                .privateConversationId(user.id(), peerId)
                .filter(id -> peerId != user.id())
                .flatMap(id -> queries.one(user.id(), id))
                .orElseThrow(() -> ApiException.notFound("conversation"));
    }

    /**
     * Everyone who shares a conversation with the caller; with {@code max_group_size}, only through private
     * conversations and groups of at most that many members (the gateway pushes presence to them).
     */
    @GetMapping("/api/contacts")
    @Operation(operationId = "getContacts")
    Contacts contacts(
            @AuthenticationPrincipal AuthenticatedUser user,
            @RequestParam(name = "max_group_size", required = false) @Positive Integer maxGroupSize) {
        return new Contacts(queries.contacts(user.id(), maxGroupSize));
    }
}
