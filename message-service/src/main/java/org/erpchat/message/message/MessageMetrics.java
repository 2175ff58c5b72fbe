package org.erpchat.message.message;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import org.erpchat.events.ConversationKind;
import org.erpchat.events.RejectReason;
import org.springframework.stereotype.Component;

/**
 * {@code chat.messages.sent} (tags {@code kind} private/group and {@code origin} rest/command; idempotent repeats not
 * counted), {@code chat.messages.rejected} (tag {@code reason}, the reject code), and how sends were stored together:
 * {@code chat.messages.batch.size} and {@code chat.messages.batch.split} (tag {@code origin}).
 */
@Component
class MessageMetrics {

    private final MeterRegistry meters;

    MessageMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    void sent(ConversationKind kind, boolean command) {
        Counter.builder("chat.messages.sent")
                .description("Messages stored")
                .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                .tag("origin", origin(command))
                .register(meters)
                .increment();
    }

    /** {@code size} sends stored in one transaction. */
    void batched(int size, boolean command) {
        DistributionSummary.builder("chat.messages.batch.size")
                .description("Sends stored together in one transaction, per batch")
                .tag("origin", origin(command))
                .register(meters)
                .record(size);
    }

    /** A batch that could not be stored together: its sends went one by one. */
    void split(boolean command) {
        Counter.builder("chat.messages.batch.split")
                .description("Batches of sends stored one by one instead (a repeat, a first message to someone, a"
                        + " refusal or a failure among them)")
                .tag("origin", origin(command))
                .register(meters)
                .increment();
    }

    private static String origin(boolean command) {
        return command ? "command" : "rest";
    }

    void rejected(RejectReason reason) {
        Counter.builder("chat.messages.rejected")
                .description("Sends refused, by reason")
                .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                .register(meters)
                .increment();
    }
}
