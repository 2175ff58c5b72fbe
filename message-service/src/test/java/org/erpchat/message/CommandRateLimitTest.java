package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.erpchat.message.CommandProducer.origin;
import static org.erpchat.message.CommandProducer.privateText;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.erpchat.events.ChatEvent;
import org.erpchat.events.MessageCreated;
import org.erpchat.events.MessageRejected;
import org.erpchat.events.RejectReason;
import org.erpchat.events.SendOrigin;
import org.erpchat.events.Topics;
import org.erpchat.testsupport.KafkaEventCollector;
import org.junit.jupiter.api.Test;

/**
 * Commands are rate-limited at the pace the user sent them (their {@code issuedAt}, when the gateway accepted the
 * frame), not at the pace they reach the service: commands that queued up during an outage and arrive in one burst
 * are not refused if the user kept to the allowed rate. Test allowance: a burst of 50, then one a minute.
 */
class CommandRateLimitTest extends MessageServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int BURST = 50;
    private static final int PACED = 10;

    @Test
    void aBacklogSentAtTheAllowedPaceIsAcceptedWhileTheSameBurstSentAtOnceIsPartlyRefused() {
        Instant now = Instant.now();
        Instant start = now.minus(Duration.ofMinutes(20));
        // 50 at once (the burst), then one every 90 s (the allowance refills one a minute), all long ago.
        List<MessageCreated> paced =
                burst(i -> i < BURST ? start : start.plus(Duration.ofSeconds(90L * (i - BURST + 1)))).stream()
                        .filter(MessageCreated.class::isInstance)
                        .map(MessageCreated.class::cast)
                        .toList();
        assertThat(paced).hasSize(BURST + PACED);

        // The same burst, all sent now.
        List<ChatEvent> atOnce = burst(i -> now);
        assertThat(atOnce).filteredOn(MessageCreated.class::isInstance).hasSize(BURST);
        assertThat(atOnce)
                .filteredOn(MessageRejected.class::isInstance)
                .hasSize(PACED)
                .allSatisfy(e -> assertThat(((MessageRejected) e).reason()).isEqualTo(RejectReason.RATE_LIMITED));
    }

    /** A fresh user sends {@code BURST + PACED} commands with the given issuedAt; returns the answers. */
    private List<ChatEvent> burst(IntFunction<Instant> issuedAt) {
        long sender = knownUser();
        long receiver = knownUser();
        SendOrigin origin = origin();
        try (CommandProducer commands = new CommandProducer(infrastructure);
                KafkaEventCollector events = KafkaEventCollector.fromNow(infrastructure, Topics.MESSAGE_EVENTS)) {
            for (int i = 0; i < BURST + PACED; i++) {
                commands.publish(0, privateText(sender, receiver, "m" + i, "rate-" + i, origin, issuedAt.apply(i)));
            }
            commands.flush();
            List<ChatEvent> answers = new ArrayList<>(
                    events.awaitEvents(ChatEvent.class, e -> answers(e, sender, origin), BURST + PACED, WAIT));
            return answers;
        }
    }

    private static boolean answers(ChatEvent event, long sender, SendOrigin origin) {
        if (event instanceof MessageCreated created) {
            return created.senderId() == sender && origin.equals(created.origin());
        }
        return event instanceof MessageRejected rejected && rejected.senderId() == sender;
    }
}
