package org.erpchat.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.erpchat.events.ConnectionOpened;
import org.erpchat.events.EventCodec;
import org.erpchat.events.PresenceChanged;
import org.erpchat.events.Topics;
import org.erpchat.testsupport.KafkaEventCollector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Records the service cannot use go to chat.connection-events.dlt, and the consumer carries on behind them. */
@ExtendWith(OutputCaptureExtension.class)
class PoisonRecordsTest extends PresenceIntegrationTest {

    @Test
    void unreadableUnknownInvalidAndMisroutedRecordsAreDeadLetteredAndTheConsumerContinues(CapturedOutput output) {
        long user = newId();
        String key = Long.toString(user);
        byte[] notJson = "definitely not json".getBytes(StandardCharsets.UTF_8);
        byte[] unknownType = ("{\"eventType\":\"SomethingNew\",\"schemaVersion\":1,\"userId\":" + user + "}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] invalid = ("{\"eventType\":\"ConnectionOpened\",\"schemaVersion\":1,\"gatewayId\":\"gw\","
                        + "\"sessionId\":\"s\",\"userId\":-5,\"openedAt\":\"2026-01-01T00:00:00Z\"}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] misrouted = new EventCodec().encode(new PresenceChanged(user, true, Instant.now(), Instant.now()));
        // A heartbeat whose time is a valid Instant, but one no conversion to milliseconds survives: once retried for
        // minutes, holding up everything behind it on its partition.
        byte[] farFuture = ("{\"eventType\":\"GatewayHeartbeat\",\"schemaVersion\":1,\"gatewayId\":\"gw-far\","
                        + "\"sentAt\":\"+999999999-12-31T23:59:59Z\",\"part\":0,\"partCount\":1,\"sessions\":[]}")
                .getBytes(StandardCharsets.UTF_8);

        try (KafkaEventCollector deadLetters =
                        KafkaEventCollector.fromNow(infrastructure, Topics.deadLetter(Topics.CONNECTION_EVENTS));
                FakeGateway gateway = FakeGateway.manual()) {
            // Same key as the valid event below: same partition, so it can only be processed after all five.
            TestEvents.publishRaw(key, notJson);
            TestEvents.publishRaw(key, unknownType);
            TestEvents.publishRaw(key, invalid);
            TestEvents.publishRaw(key, misrouted);
            TestEvents.publishRaw(key, farFuture);
            TestEvents.publish(new ConnectionOpened(gateway.id, "s-after-poison", user, Instant.now()));

            awaitStates(user, true);
            org.awaitility.Awaitility.await()
                    .until(() -> deadLetters.records().stream()
                                    .filter(r -> key.equals(r.key()))
                                    .count()
                            >= 5);
            List<String> values = deadLetters.records().stream()
                    .filter(r -> key.equals(r.key()))
                    .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .toList();
            assertThat(values)
                    .containsExactly(
                            new String(notJson, StandardCharsets.UTF_8),
                            new String(unknownType, StandardCharsets.UTF_8),
                            new String(invalid, StandardCharsets.UTF_8),
                            new String(misrouted, StandardCharsets.UTF_8),
                            new String(farFuture, StandardCharsets.UTF_8));
            assertThat(deadLetters.records())
                    .allSatisfy(r -> assertThat(r.topic()).isEqualTo(Topics.deadLetter(Topics.CONNECTION_EVENTS)));
            // Logged once with a count, not once per record (none at all if an earlier test started the count).
            assertThat(output.getAll()
                            .lines()
                            .filter(line -> line.contains("dead-letter topic") || line.contains(".dlt:"))
                            .count())
                    .isLessThanOrEqualTo(1);
        }
    }

    /**
     * A record that uses nearly all of Kafka's message limit: its dead letter, with the same bytes and the headers, would
     * be over it and refused for good, the recovery failing and the partition stuck on the record for ever. The dead
     * letter leaves the value out and says so.
     */
    @Test
    void aRecordTooLargeToCopyIsDeadLetteredWithoutItsValueAndTheConsumerContinues() {
        long user = newId();
        String key = Long.toString(user);
        byte[] huge = new byte[1_046_000];
        Arrays.fill(huge, (byte) 'x');

        try (KafkaEventCollector deadLetters =
                        KafkaEventCollector.fromNow(infrastructure, Topics.deadLetter(Topics.CONNECTION_EVENTS));
                FakeGateway gateway = FakeGateway.manual()) {
            TestEvents.publishRaw(key, huge);
            TestEvents.publish(new ConnectionOpened(gateway.id, "s-after-huge", user, Instant.now()));

            awaitStates(user, true);
            org.awaitility.Awaitility.await()
                    .until(() -> deadLetters.records().stream().anyMatch(r -> key.equals(r.key())));
            KafkaEventCollector.Received deadLetter = deadLetters.records().stream()
                    .filter(r -> key.equals(r.key()))
                    .findFirst()
                    .orElseThrow();
            assertThat(deadLetter.value()).isNull();
            assertThat(deadLetter.header("chat_dlt_omitted")).isEqualTo("value of 1046000 bytes");
            assertThat(deadLetter.header("kafka_dlt-original-topic")).isEqualTo(Topics.CONNECTION_EVENTS);
            assertThat(deadLetter.header("kafka_dlt-exception-stacktrace")).isNull();
        }
    }
}
