package org.erpchat.message.command;

import org.erpchat.events.ChatEvent;
import org.erpchat.events.SendMessageCommand;
import org.erpchat.events.Topics;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code chat.message-commands} (group {@code message-service}). Records are read by an
 * {@code ErrorHandlingDeserializer} around {@code ChatEventDeserializer} (see application.yml), so a record that is
 * not a valid event never reaches this method: service-support's {@code DefaultErrorHandler} sends it to
 * {@code chat.message-commands.dlt} and the consumer carries on. Offsets are committed after processing: a crash
 * redelivers, and the idempotent send makes that harmless.
 */
@Component
class SendCommandListener {

    private final SendCommandHandler handler;

    SendCommandListener(SendCommandHandler handler) {
        this.handler = handler;
    }

    @KafkaListener(id = "message-commands", topics = Topics.MESSAGE_COMMANDS, groupId = "message-service")
    void onCommand(@Payload(required = false) ChatEvent event) {
        if (event == null) {
            throw new UnexpectedEventException("empty record on " + Topics.MESSAGE_COMMANDS);
        }
        if (!(event instanceof SendMessageCommand command)) {
            // A readable event of another type does not belong here: dead-letter it (not retried).
            throw new UnexpectedEventException("expected SendMessageCommand on " + Topics.MESSAGE_COMMANDS + ", got "
                    + event.eventType().wireName());
        }
        handler.handle(command);
    }

    /** An {@link IllegalArgumentException}, which the shared error handler dead-letters without retrying. */
    static class UnexpectedEventException extends IllegalArgumentException {
        UnexpectedEventException(String message) {
            super(message);
        }
    }
}
