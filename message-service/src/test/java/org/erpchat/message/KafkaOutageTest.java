package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.common.TopicPartition;
import org.erpchat.events.ChatEvent;
import org.erpchat.events.MessageCreated;
import org.erpchat.events.Topics;
import org.erpchat.support.outbox.OutboxRelay;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.support.LoggingProducerListener;

/**
 * The transactional outbox across a Kafka outage: sends succeed while the broker is down, wait in the outbox, and are
 * all published once it is back, each conversation's in sequence order; then the outbox is empty. The outage is
 * reported once, by the relay and by Kafka's own clients.
 */
class KafkaOutageTest extends MessageServiceTest {

    private static final int SENDS_PER_CONVERSATION = 10;

    @Autowired
    private MeterRegistry meters;

    @Test
    void sendsMadeWhileKafkaIsDownArriveInOrderWhenItIsBack() {
        long alice = knownUser();
        long bob = knownUser();
        long carol = knownUser();
        String bootstrap = infrastructure.kafkaBootstrapServers();
        Map<TopicPartition, Long> before = TopicReader.endOffsets(bootstrap, Topics.MESSAGE_EVENTS);
        long withBob = 0;
        long withCarol = 0;

        double failuresBefore = publishFailures();
        LogCapture logs = new LogCapture();
        infrastructure.stopKafka();
        try {
            for (int i = 1; i <= SENDS_PER_CONVERSATION; i++) {
                Api.Response toBob = sendPrivate(alice, bob, "b" + i);
                Api.Response fromCarol = sendPrivate(carol, alice, "c" + i);
                assertThat(toBob.status()).as(toBob.toString()).isEqualTo(201);
                assertThat(fromCarol.status()).as(fromCarol.toString()).isEqualTo(201);
                withBob = toBob.longValue("conversation_id");
                withCarol = fromCarol.longValue("conversation_id");
            }
            assertThat(outboxBacklog()).isGreaterThanOrEqualTo(2L * SENDS_PER_CONVERSATION);
            // Keep the broker away until the relay has really failed (and backs off), not just waited for it.
            await().atMost(Duration.ofSeconds(60)).until(() -> publishFailures() > failuresBefore);
            assertThat(outboxBacklog()).isGreaterThanOrEqualTo(2L * SENDS_PER_CONVERSATION);
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(api.anonymous()
                                    .get("/actuator/health/readiness")
                                    .status())
                            .isEqualTo(503));
        } finally {
            infrastructure.startKafka();
            logs.close();
        }
        // The relay reports the outage once, with a count; no line per record it could not publish (with its value).
        assertThat(logs.atLeast(Level.WARN))
                .extracting(ILoggingEvent::getLoggerName)
                .doesNotContain(LoggingProducerListener.class.getName())
                .contains(OutboxRelay.class.getName());
        // Kafka's clients warn on every reconnect attempt (without RepeatedKafkaLinesFilter 81 and 106 lines from
        // NetworkClient in two runs: 3 kinds from 5 clients). Each kind of line, whichever client logs it, shows at
        // most once; the repeats are counted and summed up once a minute, which this outage is too short for.
        assertThat(logs.atLeast(Level.WARN).stream()
                        .filter(line -> line.getLevel() == Level.WARN
                                && line.getLoggerName().startsWith("org.apache.kafka.clients"))
                        .collect(Collectors.groupingBy(
                                line -> line.getLoggerName() + ": " + withoutClientPrefix(line.getFormattedMessage()),
                                Collectors.counting())))
                .allSatisfy((kind, lines) -> assertThat(lines).as(kind).isEqualTo(1L));

        long bobConversation = withBob;
        long carolConversation = withCarol;
        List<ChatEvent> events = TopicReader.readUntil(
                bootstrap,
                before,
                read -> firstSeqs(read, bobConversation).size() == SENDS_PER_CONVERSATION
                        && firstSeqs(read, carolConversation).size() == SENDS_PER_CONVERSATION,
                Duration.ofSeconds(90));

        List<Long> expected =
                LongStream.rangeClosed(1, SENDS_PER_CONVERSATION).boxed().toList();
        // A batch that failed half-way is published again, so a seq may repeat; the first time each seq is seen
        // (what a consumer deduplicating by seq delivers) is always in order.
        assertThat(firstSeqs(events, bobConversation)).containsExactlyElementsOf(expected);
        assertThat(firstSeqs(events, carolConversation)).containsExactlyElementsOf(expected);
        await().atMost(Duration.ofSeconds(60)).until(() -> outboxBacklog() == 0);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> api.anonymous().get("/actuator/health/readiness").status() == 200);
    }

    /** A Kafka client's line without the "[Producer clientId=...] " its LogContext puts in front. */
    private static String withoutClientPrefix(String message) {
        return message.replaceFirst("^\\[[^]]*] ", "");
    }

    private double publishFailures() {
        return meters.counter("chat.outbox.publish.failures").count();
    }

    private static List<Long> firstSeqs(List<ChatEvent> events, long conversationId) {
        return events.stream()
                .filter(MessageCreated.class::isInstance)
                .map(MessageCreated.class::cast)
                .filter(e -> e.conversationId() == conversationId)
                .map(MessageCreated::seq)
                .distinct()
                .toList();
    }
}
