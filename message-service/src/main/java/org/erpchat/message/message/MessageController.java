package org.erpchat.message.message;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.erpchat.events.MessageType;
import org.erpchat.events.RejectReason;
import org.erpchat.message.conversation.ConversationStore;
import org.erpchat.message.web.ApiException;
import org.erpchat.support.security.AuthenticatedUser;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Sending (201 with the stored message, 200 with the original for a repeated {@code client_msg_id}) and reading a
 * conversation's history. The sender is always the token's user; a {@code sender_id} in the body is ignored.
 */
@RestController
class MessageController {

    record PrivateMessageRequest(Long receiverId, String content, String type, String fileId, String clientMsgId) {}

    record GroupMessageRequest(Long groupId, String content, String type, String fileId, String clientMsgId) {}

    record HistoryPage(List<MessageView> messages, boolean hasMore) {}

    private final MessageSender sender;
    private final MessageStore messages;
    private final ConversationStore conversations;
    private final MessageLimits limits;
    private final MessageMetrics metrics;

    MessageController(
            MessageSender sender,
            MessageStore messages,
            ConversationStore conversations,
            MessageLimits limits,
            MessageMetrics metrics) {
        this.sender = sender;
        this.messages = messages;
        this.conversations = conversations;
        this.limits = limits;
        this.metrics = metrics;
    }

    @PostMapping("/api/messages/private")
    ResponseEntity<MessageView> sendPrivate(
            @AuthenticationPrincipal AuthenticatedUser user, @RequestBody PrivateMessageRequest body) {
        return send(new SendRequest(
                user.id(),
                orMissing(body.receiverId()),
                null,
                type(body.type()),
                body.content(),
                body.fileId(),
                body.clientMsgId(),
                null));
    }

    @PostMapping("/api/messages/group")
    ResponseEntity<MessageView> sendGroup(
            @AuthenticationPrincipal AuthenticatedUser user, @RequestBody GroupMessageRequest body) {
        return send(new SendRequest(
                user.id(),
                null,
                orMissing(body.groupId()),
                type(body.type()),
                body.content(),
                body.fileId(),
                body.clientMsgId(),
                null));
    }

    /** History in ascending {@code seq}; by default the latest page, else below {@code before} / above {@code after}. */
    @GetMapping("/api/conversations/{id}/messages")
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
        try {
            SendResult result = sender.send(request);
            return ResponseEntity.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK)
                    .body(result.message());
        } catch (SendRejectedException e) {
            throw problem(e);
        }
    }

    /** A missing id becomes 0, which validation refuses as invalid_message like any other bad id (one code path). */
    private static Long orMissing(Long id) {
        return id == null ? Long.valueOf(0) : id;
    }

    private static MessageType type(String type) {
        if (type == null) {
            return null;
        }
        return switch (type) {
            case "text" -> MessageType.TEXT;
            case "file" -> MessageType.FILE;
            case "image" -> MessageType.IMAGE;
            default ->
                throw problem(
                        new SendRejectedException(RejectReason.INVALID_MESSAGE, "type must be text, file or image"));
        };
    }

    static ApiException problem(SendRejectedException e) {
        HttpStatus status = switch (e.reason()) {
            case UNKNOWN_GROUP -> HttpStatus.NOT_FOUND;
            case UNKNOWN_RECEIVER -> HttpStatus.UNPROCESSABLE_CONTENT;
            case RATE_LIMITED -> HttpStatus.TOO_MANY_REQUESTS;
            case INTERNAL_ERROR -> HttpStatus.INTERNAL_SERVER_ERROR;
            default -> HttpStatus.BAD_REQUEST;
        };
        HttpHeaders headers = new HttpHeaders();
        if (e.retryAfter() != null && e.reason() == RejectReason.RATE_LIMITED) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(e.retryAfter())));
        }
        return new ApiException(status, e.reason().name().toLowerCase(Locale.ROOT), e.detail(), headers);
    }

    private static long retryAfterSeconds(Duration wait) {
        long seconds = (wait.toMillis() + 999) / 1000;
        return Math.max(1, seconds);
    }
}
