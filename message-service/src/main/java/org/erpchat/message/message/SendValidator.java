package org.erpchat.message.message;

import org.erpchat.events.MessageType;
import org.erpchat.events.RejectReason;
import org.erpchat.events.SendRules;
import org.springframework.stereotype.Component;

/**
 * The checks every send passes, whether it came over REST or as a Kafka command, before anything is read or written.
 * The checks that need the database (unknown receiver or group, membership) follow in {@link MessageSender}, which
 * answers a refused send that repeats a stored one with the original, whatever field made it invalid (a REST
 * {@code type} this service does not know included, so it is read here and not in the controller).
 *
 * <p>The text fields and the {@code client_msg_id} follow {@link SendRules}, the rules the gateway applies to WebSocket
 * frames: text PostgreSQL cannot store, or would store altered (NUL, unpaired surrogates), is refused rather than
 * acknowledged in one form and returned by history in another, and an id valid on one path is valid on every path.
 * Text content that shows nothing ({@link BlankText}) is refused as missing.
 */
@Component
class SendValidator {

    private final MessageLimits limits;

    SendValidator(MessageLimits limits) {
        this.limits = limits;
    }

    /** The request with its defaults applied (type {@code text}, empty content for files); throws when invalid. */
    SendRequest validate(SendRequest request) {
        if ((request.receiverId() == null) == (request.groupId() == null)) {
            throw invalid("exactly one of receiver_id and group_id is required");
        }
        if (request.receiverId() != null && request.receiverId() <= 0) {
            throw invalid("receiver_id is required and must be a positive user id");
        }
        if (request.groupId() != null && request.groupId() <= 0) {
            throw invalid("group_id is required and must be a positive group id");
        }
        MessageType type = request.typeName() != null
                ? clientType(request.typeName())
                : request.type() == null ? MessageType.TEXT : request.type();
        if (type == null || type == MessageType.SYSTEM) {
            throw invalid("type must be text, file or image");
        }
        String content = request.content();
        requireStorable("content", content);
        if (type == MessageType.TEXT && BlankText.isBlank(content)) {
            throw invalid("content is required for text messages");
        }
        if (content == null) {
            content = "";
        }
        requireStorable("file_id", request.fileId());
        int length = content.codePointCount(0, content.length());
        if (length > limits.maxContentLength()) {
            throw new SendRejectedException(
                    RejectReason.CONTENT_TOO_LONG,
                    "content is " + length + " characters long, the limit is " + limits.maxContentLength());
        }
        if (type != MessageType.TEXT
                && (request.fileId() == null || request.fileId().isBlank())) {
            throw invalid("file_id is required for " + MessageStore.wireName(type) + " messages");
        }
        if (request.fileId() != null && request.fileId().length() > limits.maxFileIdLength()) {
            throw invalid("file_id is longer than " + limits.maxFileIdLength() + " characters");
        }
        // Absent over REST: the sender then stores a server-generated id (srv-<uuid>), which follows the rule too.
        String clientMsgId = request.clientMsgId();
        if (clientMsgId != null && !SendRules.isValidClientMsgId(clientMsgId)) {
            throw invalid(SendRules.CLIENT_MSG_ID_RULE);
        }
        if (request.receiverId() != null && request.receiverId() == request.senderId()) {
            throw new SendRejectedException(RejectReason.SELF_MESSAGE, "you cannot send a private message to yourself");
        }
        return request.validated(type, content, clientMsgId);
    }

    /** The type a client names ({@code text}, {@code file}, {@code image}), or null for any other name. */
    private static MessageType clientType(String name) {
        return switch (name) {
            case "text" -> MessageType.TEXT;
            case "file" -> MessageType.FILE;
            case "image" -> MessageType.IMAGE;
            default -> null;
        };
    }

    private static void requireStorable(String field, String text) {
        String reason = SendRules.unstorableReason(field, text);
        if (reason != null) {
            throw invalid(reason);
        }
    }

    private static SendRejectedException invalid(String detail) {
        return new SendRejectedException(RejectReason.INVALID_MESSAGE, detail);
    }
}
