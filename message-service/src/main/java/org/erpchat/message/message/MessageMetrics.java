package org.erpchat.message.message;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import org.erpchat.events.ConversationKind;
import org.erpchat.events.RejectReason;
import org.springframework.stereotype.Component;

/**
 * {@code chat.messages.sent} (tags {@code kind} private/group and {@code origin} rest/command; idempotent repeats not
 * counted) and {@code chat.messages.rejected} (tag {@code reason}, the reject code).
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
                .tag("origin", command ? "command" : "rest")
                .register(meters)
                .increment();
    }

    void rejected(RejectReason reason) {
        Counter.builder("chat.messages.rejected")
                .description("Sends refused, by reason")
                .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                .register(meters)
                .increment();
    }
}
