package org.erpchat.message.command;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.erpchat.events.ChatEvent;
import org.erpchat.events.SendMessageCommand;
import org.erpchat.events.Topics;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code chat.message-commands} (group {@code message-service}) and hands each command to
 * {@link CommandDispatcher}, which stores or answers it and acknowledges it when every command before it on the
 * partition is done (AckMode MANUAL, see {@link CommandListenerConfiguration}).
 *
 * <p>Records are read by an {@code ErrorHandlingDeserializer} around {@code ChatEventDeserializer} (see
 * application.yml), so a record that is not a valid event never reaches this method: service-support's
 * {@code DefaultErrorHandler} sends it to {@code chat.message-commands.dlt} and the consumer carries on. So does a
 * readable event of another type, thrown here as {@link UnexpectedEventException}. Nothing else is ever thrown: the
 * error handler's retries would hold up the whole partition.
 */
@Component
class SendCommandListener {

    private final CommandDispatcher dispatcher;

    SendCommandListener(CommandDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @KafkaListener(
            id = CommandDispatcher.LISTENER_ID,
            topics = Topics.MESSAGE_COMMANDS,
            groupId = "message-service",
            containerFactory = CommandListenerConfiguration.CONTAINER_FACTORY)
    void onCommand(ConsumerRecord<String, ChatEvent> record, Acknowledgment ack) {
        ChatEvent event = record.value();
        if (event == null) {
            throw new UnexpectedEventException("empty record on " + Topics.MESSAGE_COMMANDS);
        }
        if (!(event instanceof SendMessageCommand command)) {
            // A readable event of another type does not belong here: dead-letter it (not retried).
            throw new UnexpectedEventException("expected SendMessageCommand on " + Topics.MESSAGE_COMMANDS + ", got "
                    + event.eventType().wireName());
        }
        dispatcher.dispatch(record, command, ack);
    }

    /** An {@link IllegalArgumentException}, which the shared error handler dead-letters without retrying. */
    static class UnexpectedEventException extends IllegalArgumentException {
        UnexpectedEventException(String message) {
            super(message);
        }
    }
}
