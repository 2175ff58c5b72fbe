package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.erpchat.events.EventCodec;
import org.erpchat.events.MessageCreated;
import org.erpchat.events.MessageRejected;
import org.erpchat.events.MessageType;
import org.erpchat.events.PresenceChanged;
import org.erpchat.events.RejectReason;
import org.erpchat.events.SendMessageCommand;
import org.erpchat.events.SendOrigin;
import org.erpchat.events.Topics;
import org.erpchat.testsupport.KafkaEventCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Client sends arriving as Kafka commands: answered through the outbox; poison records dead-lettered. */
class SendCommandTest extends MessageServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final EventCodec CODEC = new EventCodec();

    private KafkaProducer<String, byte[]> producer;

    @BeforeEach
    void createProducer() {
        producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    @AfterEach
    void closeProducer() {
        producer.close(Duration.ofSeconds(5));
    }

    @Test
    void commandIsAnsweredWithMessageCreatedCarryingItsOrigin() {
        long alice = knownUser();
        long bob = knownUser();
        SendOrigin origin = origin();
        try (KafkaEventCollector events = KafkaEventCollector.fromNow(infrastructure, Topics.MESSAGE_EVENTS)) {
            publish(command(alice, bob, null, "over kafka", "k-1", origin));

            MessageCreated created = events.awaitEvents(
                            MessageCreated.class,
                            e -> e.senderId() == alice && e.clientMsgId().equals("k-1"),
                            1,
                            WAIT)
                    .get(0);
            assertThat(created.origin()).isEqualTo(origin);
            assertThat(created.content()).isEqualTo("over kafka");
            assertThat(created.recipientIds()).containsExactlyInAnyOrder(alice, bob);
            assertThat(created.seq()).isEqualTo(1);
        }
        // The same message REST and sync see.
        Api.Response history = api.as(bob).get("/api/conversations/private/" + alice);
        assertThat(history.body().get("last_message").get("client_msg_id").asString())
                .isEqualTo("k-1");
    }

    @Test
    void refusedCommandIsAnsweredWithMessageRejected() {
        long alice = knownUser();
        long bob = knownUser();
        long groupId = createGroup(bob, List.of(knownUser()));
        SendOrigin origin = origin();
        try (KafkaEventCollector events = KafkaEventCollector.fromNow(infrastructure, Topics.MESSAGE_EVENTS)) {
            publish(command(alice, bob, null, "x".repeat(4001), "too-long", origin));
            publish(command(alice, null, groupId, "let me in", "not-member", origin));
            publish(command(alice, newUserId(), null, "hello?", "nobody", origin));

            List<MessageRejected> rejected =
                    events.awaitEvents(MessageRejected.class, e -> e.senderId() == alice, 3, WAIT);
            assertThat(rejected)
                    .extracting(MessageRejected::clientMsgId, MessageRejected::reason)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("too-long", RejectReason.CONTENT_TOO_LONG),
                            org.assertj.core.groups.Tuple.tuple("not-member", RejectReason.UNKNOWN_GROUP),
                            org.assertj.core.groups.Tuple.tuple("nobody", RejectReason.UNKNOWN_RECEIVER));
            assertThat(rejected).allSatisfy(r -> {
                assertThat(r.origin()).isEqualTo(origin);
                assertThat(r.detail()).isNotBlank();
            });
            KafkaEventCollector.Received record = events.records().stream()
                    .filter(r -> r.event() instanceof MessageRejected)
                    .filter(r -> ((MessageRejected) r.event()).senderId() == alice)
                    .findFirst()
                    .orElseThrow();
            assertThat(record.key()).isEqualTo(Long.toString(alice));
        }
    }

    @Test
    void rateLimitedCommandIsRejectedWithRetryAfter() {
        long alice = knownUser();
        long bob = knownUser();
        // The test allowance is a burst of 50 (application-test.yml); REST and commands share the bucket.
        for (int i = 0; i < 50; i++) {
            assertThat(sendPrivate(alice, bob, "m" + i).status()).isEqualTo(201);
        }
        SendOrigin origin = origin();
        try (KafkaEventCollector events = KafkaEventCollector.fromNow(infrastructure, Topics.MESSAGE_EVENTS)) {
            publish(command(alice, bob, null, "one too many", "over-the-limit", origin));

            MessageRejected rejected = events.awaitEvents(MessageRejected.class, e -> e.senderId() == alice, 1, WAIT)
                    .get(0);
            assertThat(rejected.reason()).isEqualTo(RejectReason.RATE_LIMITED);
            assertThat(rejected.retryAfterMillis()).isPositive();
            assertThat(rejected.clientMsgId()).isEqualTo("over-the-limit");
            assertThat(rejected.receiverId()).isEqualTo(bob);
            assertThat(rejected.origin()).isEqualTo(origin);
        }
    }

    @Test
    void duplicateCommandRepublishesTheOriginalWithTheNewOrigin() {
        long alice = knownUser();
        long bob = knownUser();
        SendOrigin firstSession = origin();
        SendOrigin retryingSession = origin();
        try (KafkaEventCollector events = KafkaEventCollector.fromNow(infrastructure, Topics.MESSAGE_EVENTS)) {
            publish(command(alice, bob, null, "once", "dup-1", firstSession));
            MessageCreated original = events.awaitEvents(
                            MessageCreated.class, e -> e.senderId() == alice && e.origin() != null, 1, WAIT)
                    .get(0);
            publish(command(alice, bob, null, "once (resent)", "dup-1", retryingSession));

            MessageCreated repeated = events.awaitEvents(
                            MessageCreated.class,
                            e -> e.senderId() == alice && retryingSession.equals(e.origin()),
                            1,
                            WAIT)
                    .get(0);
            assertThat(repeated.messageId()).isEqualTo(original.messageId());
            assertThat(repeated.seq()).isEqualTo(original.seq());
            assertThat(repeated.content()).isEqualTo("once");
            assertThat(original.origin()).isEqualTo(firstSession);
        }
        assertThat(jdbc.sql("SELECT count(*) FROM messages WHERE sender_id = :s")
                        .param("s", alice)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void poisonRecordsGoToTheDeadLetterTopicAndTheConsumerKeepsGoing() {
        long alice = knownUser();
        long bob = knownUser();
        String marker = UUID.randomUUID().toString();
        String deadLetters = Topics.deadLetter(Topics.MESSAGE_COMMANDS);
        try (KafkaEventCollector dlt = KafkaEventCollector.fromNow(infrastructure, deadLetters);
                KafkaEventCollector events = KafkaEventCollector.fromNow(infrastructure, Topics.MESSAGE_EVENTS)) {
            // 1. Not JSON at all.
            publishRaw(Long.toString(alice), ("garbage " + marker).getBytes(StandardCharsets.UTF_8));
            // 2. A valid event of another type.
            publishRaw(
                    Long.toString(alice),
                    CODEC.encode(
                            new PresenceChanged(alice, true, Instant.parse("2026-01-01T00:00:00Z"), Instant.now())));
            // 3. A SendMessageCommand that is not one: both receiver and group, no client message id.
            publishRaw(
                    Long.toString(alice),
                    ("{\"eventType\":\"SendMessageCommand\",\"schemaVersion\":1,\"senderId\":" + alice
                                    + ",\"receiverId\":" + bob + ",\"groupId\":5,\"content\":\"" + marker + "\"}")
                            .getBytes(StandardCharsets.UTF_8));
            // 4. A valid command after them.
            SendOrigin origin = origin();
            publish(command(alice, bob, null, "still working", "after-poison", origin));

            MessageCreated created = events.awaitEvents(
                            MessageCreated.class, e -> e.senderId() == alice && origin.equals(e.origin()), 1, WAIT)
                    .get(0);
            assertThat(created.clientMsgId()).isEqualTo("after-poison");
            org.awaitility.Awaitility.await()
                    .atMost(WAIT)
                    .until(() -> dlt.records().stream()
                                    .filter(r -> Long.toString(alice).equals(r.key()))
                                    .count()
                            >= 3);
            List<String> values = dlt.records().stream()
                    .filter(r -> Long.toString(alice).equals(r.key()))
                    .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .toList();
            assertThat(values).anySatisfy(v -> assertThat(v).isEqualTo("garbage " + marker));
            assertThat(values).anySatisfy(v -> assertThat(v).contains("PresenceChanged"));
            assertThat(values).anySatisfy(v -> assertThat(v).contains(marker).contains("SendMessageCommand"));
        }
    }

    @Test
    void aCommandThisServiceCannotReadIsAnsweredToItsSenderAndDeadLettered() {
        long alice = knownUser();
        long bob = knownUser();
        SendOrigin origin = origin();
        String deadLetters = Topics.deadLetter(Topics.MESSAGE_COMMANDS);
        try (KafkaEventCollector dlt = KafkaEventCollector.fromNow(infrastructure, deadLetters);
                KafkaEventCollector events = KafkaEventCollector.fromNow(infrastructure, Topics.MESSAGE_EVENTS)) {
            // A gateway newer than this service (a rolling upgrade in the wrong order) writes the next version.
            publishRaw(
                    Long.toString(alice),
                    ("{\"eventType\":\"SendMessageCommand\",\"schemaVersion\":2,\"senderId\":" + alice
                                    + ",\"receiverId\":" + bob + ",\"type\":\"text\",\"content\":\"hi\","
                                    + "\"clientMsgId\":\"from-the-future\",\"origin\":{\"gatewayId\":\""
                                    + origin.gatewayId() + "\",\"sessionId\":\"" + origin.sessionId() + "\"},"
                                    + "\"issuedAt\":\"2026-11-25T08:30:00Z\"}")
                            .getBytes(StandardCharsets.UTF_8));

            MessageRejected rejected = events.awaitEvents(
                            MessageRejected.class, e -> origin.equals(e.origin()), 1, WAIT)
                    .get(0);
            assertThat(rejected.senderId()).isEqualTo(alice);
            assertThat(rejected.clientMsgId()).isEqualTo("from-the-future");
            assertThat(rejected.receiverId()).isEqualTo(bob);
            assertThat(rejected.reason()).isEqualTo(RejectReason.INTERNAL_ERROR);
            await().atMost(WAIT)
                    .until(() -> dlt.records().stream()
                            .anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8).contains("from-the-future")));
            // Nothing was stored.
            assertThat(jdbc.sql("SELECT count(*) FROM messages WHERE sender_id = :alice")
                            .param("alice", alice)
                            .query(Long.class)
                            .single())
                    .isZero();
        }
    }

    @Test
    void aBurstOfCommandsIsStoredOnceEachWithoutGapsAndInEachSendersOrder() {
        int senders = 8;
        int perSender = 24;
        List<Long> users =
                IntStream.range(0, senders).mapToObj(i -> knownUser()).toList();
        List<Long> peers =
                IntStream.range(0, senders).mapToObj(i -> knownUser()).toList();
        for (int i = 0; i < senders; i++) {
            // Pairs that have talked before, as most have: their sends can be stored together.
            assertThat(sendPrivate(users.get(i), peers.get(i), "hello").status())
                    .isEqualTo(201);
            assertThat(sendPrivate(peers.get(i), users.get(i), "hi").status()).isEqualTo(201);
        }
        long group = createGroup(users.get(0), users.subList(1, senders));
        long groupBefore = lastSeq(group);
        SendOrigin origin = origin();
        SendOrigin retry = origin();

        try (KafkaEventCollector events = KafkaEventCollector.fromNow(infrastructure, Topics.MESSAGE_EVENTS)) {
            // Published at once (records are flushed together), so they queue on the lanes and are stored in batches.
            for (int k = 0; k < perSender; k++) {
                for (int i = 0; i < senders; i++) {
                    boolean toGroup = k % 2 == 1;
                    producer.send(record(command(
                            users.get(i),
                            toGroup ? null : peers.get(i),
                            toGroup ? group : null,
                            "burst " + k,
                            "burst-" + i + "-" + k,
                            origin)));
                }
            }
            // A repeat in the middle of it all, and a send PostgreSQL refuses (a NUL byte), each answered alone.
            producer.send(record(command(users.get(0), peers.get(0), null, "again", "burst-0-2", retry)));
            producer.send(record(command(users.get(1), peers.get(1), null, "nul\u0000", "burst-poison", origin)));
            producer.flush();

            List<MessageCreated> created =
                    events.awaitEvents(MessageCreated.class, e -> origin.equals(e.origin()), senders * perSender, WAIT);
            MessageCreated repeated = events.awaitEvents(MessageCreated.class, e -> retry.equals(e.origin()), 1, WAIT)
                    .get(0);
            MessageRejected poison = events.awaitEvents(
                            MessageRejected.class, e -> "burst-poison".equals(e.clientMsgId()), 1, WAIT)
                    .get(0);

            assertThat(created).extracting(MessageCreated::clientMsgId).doesNotHaveDuplicates();
            assertThat(repeated.content()).isEqualTo("burst 2");
            assertThat(poison.reason()).isEqualTo(RejectReason.INVALID_MESSAGE);
            for (int i = 0; i < senders; i++) {
                long sender = users.get(i);
                // Each pair: the two greetings, then the sender's messages in the order sent, no gap.
                assertThat(contentsInSeqOrder(created, sender, e -> e.conversationId() != group))
                        .containsExactlyElementsOf(burst(perSender, 0));
                assertThat(created.stream()
                                .filter(e -> e.senderId() == sender && e.conversationId() != group)
                                .map(MessageCreated::seq))
                        .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(3, 2 + perSender / 2)
                                .boxed()
                                .toList());
                // In the group, the sender's messages are in the order sent.
                assertThat(contentsInSeqOrder(created, sender, e -> e.conversationId() == group))
                        .containsExactlyElementsOf(burst(perSender, 1));
            }
            // The group's numbers: every one from the first after the burst began to the last, once.
            assertThat(created.stream().filter(e -> e.conversationId() == group).map(MessageCreated::seq))
                    .containsExactlyInAnyOrderElementsOf(
                            LongStream.rangeClosed(groupBefore + 1, groupBefore + (long) senders * perSender / 2)
                                    .boxed()
                                    .toList());
        }
    }

    private static ProducerRecord<String, byte[]> record(SendMessageCommand command) {
        return new ProducerRecord<>(Topics.MESSAGE_COMMANDS, command.partitionKey(), CODEC.encode(command));
    }

    /** The contents of {@code sender}'s messages among {@code events} in the conversations chosen, in seq order. */
    private static List<String> contentsInSeqOrder(
            List<MessageCreated> events, long sender, Predicate<MessageCreated> conversation) {
        return events.stream()
                .filter(e -> e.senderId() == sender && conversation.test(e))
                .sorted(Comparator.comparing(MessageCreated::seq))
                .map(MessageCreated::content)
                .toList();
    }

    /** The burst's contents of one sender with the given parity of index: "burst 0", "burst 2", ... */
    private static List<String> burst(int perSender, int parity) {
        return IntStream.range(0, perSender)
                .filter(k -> k % 2 == parity)
                .mapToObj(k -> "burst " + k)
                .toList();
    }

    private void publish(SendMessageCommand command) {
        publishRaw(command.partitionKey(), CODEC.encode(command));
    }

    private void publishRaw(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(Topics.MESSAGE_COMMANDS, key, value))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static SendMessageCommand command(
            long sender, Long receiver, Long group, String content, String clientMsgId, SendOrigin origin) {
        return new SendMessageCommand(
                sender, receiver, group, MessageType.TEXT, content, null, clientMsgId, origin, Instant.now());
    }

    private static SendOrigin origin() {
        return new SendOrigin("gateway-test", "session-" + UUID.randomUUID());
    }
}
