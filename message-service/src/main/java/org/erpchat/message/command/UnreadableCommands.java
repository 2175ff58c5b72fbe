package org.erpchat.message.command;

import java.time.Duration;
import java.util.Optional;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.erpchat.events.EventType;
import org.erpchat.events.SendOrigin;
import org.erpchat.events.SendRules;
import org.erpchat.events.Topics;
import org.erpchat.support.kafka.DeadLetterObserver;
import org.erpchat.support.logging.FaultLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A command record this service cannot read is dead-lettered, and nobody would ever answer its sender: the client
 * would wait for {@code message_sent} or {@code message_error} without end, and its retries would meet the same fate.
 * The usual cause is a gateway that writes a newer version of {@code SendMessageCommand} than this instance reads (a
 * rolling upgrade in the wrong order). When the record still says whose send it is and where it came from (a sender,
 * a valid {@code client_msg_id}, an origin), the sender's session is answered with {@code internal_error}: nothing
 * was stored, and the same send may be retried later. Told by the shared error handler once the record's dead letter
 * is written, so a record tried again (Kafka unreachable) is answered once.
 */
@Component
class UnreadableCommands implements DeadLetterObserver {

    private static final Logger log = LoggerFactory.getLogger(UnreadableCommands.class);
    private static final LogAccessor LOG_ACCESSOR = new LogAccessor(LogFactory.getLog(UnreadableCommands.class));
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static final String DETAIL = "message-service could not read this send; retry it later with the same client_msg_id";

    /** What identifies an unreadable send's sender and session. */
    record Sender(long senderId, String clientMsgId, Long receiverId, Long groupId, SendOrigin origin) {}

    /** After an answer failed to be stored, how long the next ones are not even tried. */
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(30);

    private final SendCommandHandler handler;
    /** When an answer last failed to be stored ({@link System#nanoTime()}); only the consumer thread uses it. */
    private long lastFailure = System.nanoTime() - RETRY_PAUSE.toNanos();

    private final FaultLog answering = new FaultLog(
            log, "answering unreadable send commands (their senders get no answer)", Duration.ofMinutes(1));

    UnreadableCommands(SendCommandHandler handler) {
        this.handler = handler;
    }

    /** Answers the sender of an unreadable command, if it can be identified; never throws. */
    @Override
    public void deadLettered(ConsumerRecord<?, ?> record, Exception cause) {
        if (!Topics.MESSAGE_COMMANDS.equals(record.topic()) || record.value() != null) {
            return;
        }
        DeserializationException unreadable = SerializationUtils.getExceptionFromHeader(
                record, SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, LOG_ACCESSOR);
        if (unreadable == null || unreadable.getData() == null) {
            return;
        }
        Optional<Sender> sender = identify(unreadable.getData());
        if (sender.isEmpty()) {
            return;
        }
        // This runs on the consumer thread: while the database is failing, one attempt per pause, not one per record
        // (each would wait for a connection and hold up every partition of the consumer meanwhile).
        long now = System.nanoTime();
        if (now - lastFailure < RETRY_PAUSE.toNanos()) {
            answering.failed(new IllegalStateException("not answered: the database failed moments ago"));
            return;
        }
        try {
            handler.rejectUnreadable(sender.get(), DETAIL);
            answering.succeeded();
        } catch (RuntimeException e) {
            // This answer is lost, as it always was. Throwing would hold up the partition.
            lastFailure = System.nanoTime();
            answering.failed(e);
        }
    }

    /** The sender and session of a record that claims to be a {@code SendMessageCommand}, if they can be read. */
    static Optional<Sender> identify(byte[] data) {
        JsonNode root;
        try {
            root = JSON.readTree(data);
        } catch (JacksonException e) {
            return Optional.empty();
        }
        if (root == null
                || !root.isObject()
                || !EventType.SEND_MESSAGE_COMMAND.wireName().equals(text(root, "eventType"))) {
            return Optional.empty();
        }
        Long senderId = positiveId(root, "senderId");
        String clientMsgId = text(root, "clientMsgId");
        JsonNode origin = root.get("origin");
        String gatewayId = origin == null ? null : text(origin, "gatewayId");
        String sessionId = origin == null ? null : text(origin, "sessionId");
        if (senderId == null || clientMsgId == null || !SendRules.isValidClientMsgId(clientMsgId)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Sender(
                    senderId,
                    clientMsgId,
                    positiveId(root, "receiverId"),
                    positiveId(root, "groupId"),
                    new SendOrigin(gatewayId, sessionId)));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // no origin to answer: missing, blank, or ids longer than the contract allows
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() ? value.asString() : null;
    }

    private static Long positiveId(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.canConvertToLong() && value.isIntegralNumber() && value.asLong() > 0
                ? value.asLong()
                : null;
    }
}
