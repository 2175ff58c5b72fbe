package org.erpchat.message.message;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.erpchat.message.conversation.ConversationStore;
import org.erpchat.support.security.AuthenticatedUser;
import org.erpchat.support.web.ApiException;
import org.erpchat.support.web.ProblemCodes;
import org.erpchat.support.web.ProblemResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Sending (201 with the stored message, 200 with the original for a repeated {@code client_msg_id}) and reading a
 * conversation's history. The sender is always the token's user; a {@code sender_id} in the body is ignored. A refused
 * send ({@link SendRejectedException}) becomes a problem detail with its reject code in the web package's handler.
 */
@RestController
@Tag(name = "messages")
class MessageController {

    private static final String INVALID_MESSAGE = "invalid_message";
    private static final String INVALID_MESSAGE_WHEN = "no receiver or group, blank text (only whitespace, format or"
            + " control characters), a `type` other than text, file or image, a file or image without `file_id`,"
            + " text that cannot be stored (NUL, unpaired surrogates), or a `client_msg_id` outside the rule (1 to"
            + " 100 printable ASCII characters, no spaces)";
    private static final String CONTENT_TOO_LONG = "content_too_long";
    private static final String CONTENT_TOO_LONG_WHEN = "content longer than the configured limit";
    private static final String RATE_LIMITED = "rate_limited";
    private static final String RATE_LIMITED_WHEN = "over the per-user send rate; `Retry-After` says when to retry";

    record PrivateMessageRequest(
            @Schema(requiredMode = REQUIRED) Long receiverId,

            @Schema(nullable = true, description = "required (not blank) for text messages")
            String content,

            @Schema(
                    nullable = true,
                    allowableValues = {"text", "file", "image"},
                    defaultValue = "text")
            String type,

            @Schema(nullable = true, description = "required for file and image messages")
            String fileId,

            @Schema(
                    nullable = true,
                    pattern = "^[!-~]{1,100}$",
                    description = "the sender's id for this send, 1 to 100 printable ASCII characters without"
                            + " spaces: a repeat answers 200 with the original message")
            String clientMsgId) {}

    record GroupMessageRequest(
            @Schema(requiredMode = REQUIRED) Long groupId,

            @Schema(nullable = true, description = "required (not blank) for text messages")
            String content,

            @Schema(
                    nullable = true,
                    allowableValues = {"text", "file", "image"},
                    defaultValue = "text")
            String type,

            @Schema(nullable = true, description = "required for file and image messages")
            String fileId,

            @Schema(
                    nullable = true,
                    pattern = "^[!-~]{1,100}$",
                    description = "the sender's id for this send, 1 to 100 printable ASCII characters without"
                            + " spaces: a repeat answers 200 with the original message")
            String clientMsgId) {}

    record HistoryPage(
            @Schema(requiredMode = REQUIRED, description = "in ascending `seq`")
            List<MessageView> messages,

            @Schema(requiredMode = REQUIRED) boolean hasMore) {}

    private final RestSends sends;
    private final MessageStore messages;
    private final ConversationStore conversations;
    private final MessageLimits limits;
    private final MessageMetrics metrics;

    MessageController(
            RestSends sends,
            MessageStore messages,
            ConversationStore conversations,
            MessageLimits limits,
            MessageMetrics metrics) {
        this.sends = sends;
        this.messages = messages;
        this.conversations = conversations;
        this.limits = limits;
        this.metrics = metrics;
    }

    @PostMapping("/api/messages/private")
    @Operation(operationId = "sendPrivateMessage")
    @ResponseStatus(HttpStatus.CREATED)
    @ApiResponse(
            responseCode = "200",
            description = "A send with a `client_msg_id` already used by the caller: the original message, unchanged",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = MessageView.class)))
    @ProblemResponse(status = 400, code = INVALID_MESSAGE, when = INVALID_MESSAGE_WHEN)
    @ProblemResponse(status = 400, code = CONTENT_TOO_LONG, when = CONTENT_TOO_LONG_WHEN)
    @ProblemResponse(status = 400, code = "self_message", when = "a private message to oneself")
    @ProblemResponse(status = 422, code = "unknown_receiver", when = "a receiver the service has never heard of")
    @ProblemResponse(status = 429, code = RATE_LIMITED, when = RATE_LIMITED_WHEN)
    ResponseEntity<MessageView> sendPrivate(
            @AuthenticationPrincipal AuthenticatedUser user, @RequestBody PrivateMessageRequest body) {
        return send(SendRequest.fromRest(
                user.id(),
                orMissing(body.receiverId()),
                null,
                body.type(),
                body.content(),
                body.fileId(),
                body.clientMsgId()));
    }

    @PostMapping("/api/messages/group")
    @Operation(operationId = "sendGroupMessage")
    @ResponseStatus(HttpStatus.CREATED)
    @ApiResponse(
            responseCode = "200",
            description = "A send with a `client_msg_id` already used by the caller: the original message, unchanged",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = MessageView.class)))
    @ProblemResponse(status = 400, code = INVALID_MESSAGE, when = INVALID_MESSAGE_WHEN)
    @ProblemResponse(status = 400, code = CONTENT_TOO_LONG, when = CONTENT_TOO_LONG_WHEN)
    @ProblemResponse(
            status = 404,
            code = "unknown_group",
            when = "no such group, or the caller is not a member (indistinguishable)")
    @ProblemResponse(status = 429, code = RATE_LIMITED, when = RATE_LIMITED_WHEN)
    ResponseEntity<MessageView> sendGroup(
            @AuthenticationPrincipal AuthenticatedUser user, @RequestBody GroupMessageRequest body) {
        return send(SendRequest.fromRest(
                user.id(),
                null,
                orMissing(body.groupId()),
                body.type(),
                body.content(),
                body.fileId(),
                body.clientMsgId()));
    }

    /** History in ascending {@code seq}; by default the latest page, else below {@code before} / above {@code after}. */
    @GetMapping("/api/conversations/{id}/messages")
    @Operation(operationId = "getHistory")
    @ProblemResponse(
            status = 404,
            code = ProblemCodes.NOT_FOUND,
            when = "no such conversation, or the caller is not in it (indistinguishable)")
    HistoryPage history(
            @AuthenticationPrincipal AuthenticatedUser user,
            @PathVariable long id,
            @RequestParam(required = false) Long before,
            @RequestParam(required = false) Long after,
            @RequestParam(required = false) Integer limit) {
        if (conversations.findForMember(id, user.id()).isEmpty()) {
            throw ApiException.notFound("conversation");
        }
        int pageSize = limit == null ? limits.historyDefaultLimit() : limit;
        if (pageSize < 1 || pageSize > limits.historyMaxLimit()) {
            throw ApiException.badRequest("limit must be between 1 and " + limits.historyMaxLimit());
        }
        if ((before != null && before < 1) || (after != null && after < 0)) {
            throw ApiException.badRequest("before must be at least 1 and after at least 0");
        }
        MessageStore.Page page = messages.history(id, before, after, pageSize);
        return new HistoryPage(page.messages(), page.hasMore());
    }

    private ResponseEntity<MessageView> send(SendRequest request) {
        SendResult result = sends.send(request);
        return ResponseEntity.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(result.message());
    }

    /** A missing id becomes 0, which validation refuses as invalid_message like any other bad id (one code path). */
    private static Long orMissing(Long id) {
        return id == null ? Long.valueOf(0) : id;
    }
}
