package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.erpchat.message.Problems.assertProblem;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.erpchat.events.EventCodec;
import org.erpchat.events.MessageCreated;
import org.erpchat.events.MessageRejected;
import org.erpchat.events.MessageType;
import org.erpchat.events.RejectReason;
import org.erpchat.events.SendMessageCommand;
import org.erpchat.events.SendOrigin;
import org.erpchat.events.SendRules;
import org.erpchat.events.Topics;
import org.erpchat.testsupport.KafkaEventCollector;
import org.junit.jupiter.api.Test;

/**
 * One {@code client_msg_id} rule on every path ({@link SendRules#isValidClientMsgId}: 1 to 100 printable ASCII
 * characters, no spaces), so an id accepted over REST can be retried over the WebSocket and the other way round.
 */
class ClientMsgIdRuleTest extends MessageServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final EventCodec CODEC = new EventCodec();

    /** Ids the rule refuses (not blank: a blank id never makes a valid command). */
    private static final List<String> INVALID = List.of("c".repeat(101), "with space", "caf\u00e9-1", "tab\tid");

    @Test
    void restRefusesIdsOutsideTheRule() {
        long alice = knownUser();
        long bob = knownUser();
        for (String id : INVALID) {
            Api.Response response = sendPrivate(alice, bob, "hello", id);
            assertProblem(response, 400, "invalid_message");
            assertThat(response.text("detail")).isEqualTo(SendRules.CLIENT_MSG_ID_RULE);
        }
        assertThat(messagesSentBy(alice)).isZero();

        String longest = "!~" + "x".repeat(98);
        assertThat(sendPrivate(alice, bob, "hello", longest).status()).isEqualTo(201);
    }

    @Test
    void serverGeneratedIdsFollowTheRule() {
        long alice = knownUser();
        long bob = knownUser();
        Api.Response sent = sendPrivate(alice, bob, "no client id");
        assertThat(sent.status()).isEqualTo(201);
        assertThat(sent.text("client_msg_id")).startsWith("srv-");
        assertThat(SendRules.isValidClientMsgId(sent.text("client_msg_id"))).isTrue();
    }

    @Test
    void commandsWithIdsOutsideTheRuleAreRejectedAsInvalidMessage() {
        long alice = knownUser();
        long bob = knownUser();
        SendOrigin origin = new SendOrigin("gateway-test", "session-" + UUID.randomUUID());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers()),
                        new StringSerializer(),
                        new ByteArraySerializer());
                KafkaEventCollector events = KafkaEventCollector.fromNow(infrastructure, Topics.MESSAGE_EVENTS)) {
            for (String id : INVALID) {
                publish(producer, alice, bob, id, origin);
            }
            publish(producer, alice, bob, "valid-after", origin);

            List<MessageRejected> rejected =
                    events.awaitEvents(MessageRejected.class, e -> e.senderId() == alice, INVALID.size(), WAIT);
            assertThat(rejected)
                    .extracting(MessageRejected::clientMsgId, MessageRejected::reason)
                    .containsExactlyInAnyOrderElementsOf(INVALID.stream()
                            .map(id -> tuple(id, RejectReason.INVALID_MESSAGE))
                            .toList());
            assertThat(rejected).allSatisfy(r -> assertThat(r.detail()).isEqualTo(SendRules.CLIENT_MSG_ID_RULE));
            events.awaitEvents(
                    MessageCreated.class,
                    e -> e.senderId() == alice && e.clientMsgId().equals("valid-after"),
                    1,
                    WAIT);
        }
        assertThat(messagesSentBy(alice)).isEqualTo(1);
    }

    private static void publish(
            KafkaProducer<String, byte[]> producer, long sender, long receiver, String clientMsgId, SendOrigin origin) {
        SendMessageCommand command = new SendMessageCommand(
                sender, receiver, null, MessageType.TEXT, "hello", null, clientMsgId, origin, Instant.now());
        try {
            producer.send(new ProducerRecord<>(Topics.MESSAGE_COMMANDS, command.partitionKey(), CODEC.encode(command)))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long messagesSentBy(long sender) {
        return jdbc.sql("SELECT count(*) FROM messages WHERE sender_id = :s")
                .param("s", sender)
                .query(Long.class)
                .single();
    }
}
