package org.erpchat.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.erpchat.events.ConversationKind;
import org.erpchat.events.ConversationRead;
import org.erpchat.events.EventCodec;
import org.erpchat.events.GroupMembershipChanged;
import org.erpchat.events.MessageCreated;
import org.erpchat.events.MessageRejected;
import org.erpchat.events.MessageType;
import org.erpchat.events.RejectReason;
import org.erpchat.events.SendMessageCommand;
import org.erpchat.events.SendOrigin;
import org.erpchat.events.Topics;
import org.erpchat.events.UserTyping;
import org.erpchat.gateway.support.GatewayTest;
import org.erpchat.gateway.support.KafkaEvents;
import org.erpchat.gateway.support.WsTestClient;
import org.erpchat.testsupport.ChatInfrastructure;
import org.erpchat.testsupport.KafkaEventCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Routing of what arrives over Kafka, with events published to the real broker the way message-service and
 * presence-service publish them: each event reaches exactly the sessions that may see it.
 */
class DeliveryTest extends GatewayTest {

    private static final AtomicLong CONVERSATIONS = new AtomicLong(System.nanoTime() % 1_000_000 * 1000 + 5_000_000);

    @Autowired
    ChatInfrastructure infrastructure;

    @Autowired
    MeterRegistry meters;

    KafkaEvents kafka;

    @BeforeEach
    void producer() {
        kafka = new KafkaEvents(infrastructure);
    }

    @AfterEach
    void closeProducer() {
        kafka.close();
    }

    @Test
    void aPrivateMessageReachesTheReceiverAndTheSendersOtherSessionsAndAcksTheSendingOne() {
        long alice = newUserId();
        long bob = newUserId();
        try (WsTestClient aliceTab1 = connect(alice);
                WsTestClient aliceTab2 = connect(alice);
                WsTestClient bobClient = connect(bob)) {
            String tab1 = aliceTab1
                    .frames("connected")
                    .get(0)
                    .data()
                    .path("session_id")
                    .asString();
            long conversation = CONVERSATIONS.incrementAndGet();

            kafka.publish(message(
                    conversation, ConversationKind.PRIVATE, 1, alice, List.of(alice, bob), "c-1", origin(tab1)));

            WsTestClient.Frame received = bobClient.awaitFrame("private_message");
            assertThat(received.data().path("sender_id").asLong()).isEqualTo(alice);
            assertThat(received.data().path("receiver_id").asLong()).isEqualTo(bob);
            assertThat(received.data().path("conversation_id").asLong()).isEqualTo(conversation);
            assertThat(received.data().path("seq").asLong()).isEqualTo(1);
            assertThat(received.data().path("content").asString()).isEqualTo("message 1");
            assertThat(received.data().path("type").asString()).isEqualTo("text");
            assertThat(received.data().path("client_msg_id").asString()).isEqualTo("c-1");
            assertThat(received.data().propertyNames())
                    .containsExactlyInAnyOrder(
                            "id",
                            "conversation_id",
                            "conversation_type",
                            "seq",
                            "sender_id",
                            "receiver_id",
                            "group_id",
                            "content",
                            "type",
                            "file_id",
                            "client_msg_id",
                            "created_at");
            WsTestClient.Frame ack = aliceTab1.awaitFrame("message_sent");
            assertThat(ack.data().path("client_msg_id").asString()).isEqualTo("c-1");
            assertThat(ack.data().path("seq").asLong()).isEqualTo(1);
            assertThat(aliceTab2
                            .awaitFrame("private_message")
                            .data()
                            .path("client_msg_id")
                            .asString())
                    .isEqualTo("c-1");
            assertThat(aliceTab1.frames("private_message")).isEmpty();
        }
    }

    @Test
    void aGroupMessageReachesItsMembersAndNobodyElse() {
        long owner = newUserId();
        long member = newUserId();
        long outsider = newUserId();
        try (WsTestClient ownerClient = connect(owner);
                WsTestClient memberClient = connect(member);
                WsTestClient outsiderClient = connect(outsider)) {
            long group = CONVERSATIONS.incrementAndGet();
            long outsidersChat = CONVERSATIONS.incrementAndGet();

            kafka.publish(message(group, ConversationKind.GROUP, 1, owner, List.of(owner, member), "g-1", null));
            kafka.publish(typing(group, ConversationKind.GROUP, owner, List.of(member)));
            kafka.publish(new GroupMembershipChanged(
                    group,
                    "Sales",
                    GroupMembershipChanged.Change.ROLE_CHANGED,
                    owner,
                    List.of(member),
                    List.of(owner, member),
                    Instant.now()));
            // Published last: once the outsider has it, everything before it has been routed too.
            kafka.publish(
                    message(outsidersChat, ConversationKind.PRIVATE, 1, owner, List.of(owner, outsider), "p-1", null));

            WsTestClient.Frame groupMessage = memberClient.awaitFrame("group_message");
            assertThat(groupMessage.data().path("group_id").asLong()).isEqualTo(group);
            assertThat(groupMessage.data().path("receiver_id").isNull()).isTrue();
            memberClient.awaitFrame("user_typing");
            memberClient.awaitFrame("group_updated");
            outsiderClient.awaitFrame("private_message");
            assertThat(outsiderClient.frames())
                    .extracting(WsTestClient.Frame::event)
                    .containsExactly("connected", "private_message");
        }
    }

    @Test
    void aMessageDeliveredTwiceByKafkaReachesTheClientOnce() {
        long alice = newUserId();
        long bob = newUserId();
        try (WsTestClient bobClient = connect(bob)) {
            long conversation = CONVERSATIONS.incrementAndGet();
            MessageCreated first =
                    message(conversation, ConversationKind.PRIVATE, 1, alice, List.of(alice, bob), "d-1", null);
            MessageCreated second =
                    message(conversation, ConversationKind.PRIVATE, 2, alice, List.of(alice, bob), "d-2", null);

            kafka.publish(first);
            kafka.publish(first);
            kafka.publish(second);
            kafka.publish(first);

            bobClient.awaitFrame("private_message", data -> data.path("seq").asLong() == 2);
            kafka.publish(message(conversation, ConversationKind.PRIVATE, 3, alice, List.of(alice, bob), "d-3", null));
            bobClient.awaitFrame("private_message", data -> data.path("seq").asLong() == 3);
            assertThat(bobClient.frames("private_message"))
                    .extracting(frame -> frame.data().path("seq").asLong())
                    .containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void aRejectedSendReachesOnlyTheSessionThatSentIt() {
        long alice = newUserId();
        try (WsTestClient tab1 = connect(alice);
                WsTestClient tab2 = connect(alice)) {
            String session =
                    tab1.frames("connected").get(0).data().path("session_id").asString();

            kafka.publish(new MessageRejected(
                    alice,
                    "r-1",
                    42L,
                    null,
                    RejectReason.CONTENT_TOO_LONG,
                    "content is longer than 4000 characters",
                    null,
                    origin(session),
                    Instant.now()));

            WsTestClient.Frame error = tab1.awaitFrame("message_error");
            assertThat(error.data().path("client_msg_id").asString()).isEqualTo("r-1");
            assertThat(error.data().path("code").asString()).isEqualTo("content_too_long");
            assertThat(error.data().path("receiver_id").asLong()).isEqualTo(42L);
            tab2.send("ping", Map.of());
            tab2.awaitFrame("pong");
            assertThat(tab2.frames("message_error")).isEmpty();
        }
    }

    @Test
    void typingAndReadMarkersReachTheUsersTheyName() {
        long alice = newUserId();
        long bob = newUserId();
        try (WsTestClient aliceClient = connect(alice);
                WsTestClient bobClient = connect(bob)) {
            long conversation = CONVERSATIONS.incrementAndGet();

            kafka.publish(typing(conversation, ConversationKind.PRIVATE, alice, List.of(bob)));
            kafka.publish(new ConversationRead(
                    conversation, ConversationKind.PRIVATE, bob, 7, List.of(alice, bob), Instant.now()));

            WsTestClient.Frame typing = bobClient.awaitFrame("user_typing");
            assertThat(typing.data().path("conversation_id").asLong()).isEqualTo(conversation);
            assertThat(typing.data().path("receiver_id").asLong()).isEqualTo(bob);
            assertThat(typing.data().path("user_id").asLong()).isEqualTo(alice);
            assertThat(typing.data().path("is_typing").asBoolean()).isTrue();
            WsTestClient.Frame read = aliceClient.awaitFrame("conversation_read");
            assertThat(read.data().path("read_seq").asLong()).isEqualTo(7);
            assertThat(read.data().path("user_id").asLong()).isEqualTo(bob);
            bobClient.awaitFrame("conversation_read");
            assertThat(aliceClient.frames("user_typing")).isEmpty();
        }
    }

    @Test
    void aClientSendBecomesACommandForTheAuthenticatedUserNeverTheOneInTheFrame() {
        long alice = newUserId();
        try (KafkaEventCollector commands = KafkaEventCollector.fromNow(infrastructure, Topics.MESSAGE_COMMANDS);
                WsTestClient client = connect(alice)) {
            String session =
                    client.frames("connected").get(0).data().path("session_id").asString();

            client.send(
                    "send_private_message",
                    Map.of(
                            "receiver_id",
                            99,
                            "content",
                            "Hello!",
                            "type",
                            "text",
                            "sender_id",
                            1,
                            "client_msg_id",
                            "k-1"));
            client.send(
                    "send_group_message", Map.of("group_id", 77, "content", "team", "type", "file", "file_id", "f-9"));

            SendMessageCommand privateSend = commands.awaitEvent(
                    SendMessageCommand.class, command -> command.senderId() == alice && command.receiverId() != null);
            assertThat(privateSend.receiverId()).isEqualTo(99L);
            assertThat(privateSend.clientMsgId()).isEqualTo("k-1");
            assertThat(privateSend.origin()).isEqualTo(origin(session));
            SendMessageCommand groupSend = commands.awaitEvent(
                    SendMessageCommand.class, command -> command.senderId() == alice && command.groupId() != null);
            assertThat(groupSend.groupId()).isEqualTo(77L);
            assertThat(groupSend.type()).isEqualTo(MessageType.FILE);
            assertThat(groupSend.fileId()).isEqualTo("f-9");
            // The seed's clients send no client_msg_id: each frame gets its own.
            assertThat(groupSend.clientMsgId()).startsWith("gw-");
        }
    }

    @Test
    void anUnreadableRecordIsDeadLetteredByThisGatewayAndDeliveryGoesOn() {
        long alice = newUserId();
        long bob = newUserId();
        long conversation = CONVERSATIONS.incrementAndGet();
        byte[] garbage = ("{garbage " + conversation).getBytes(StandardCharsets.UTF_8);
        byte[] invalid = ("{\"eventType\":\"MessageCreated\",\"schemaVersion\":1,\"seq\":-" + conversation + "}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] presenceGarbage = ("not presence " + conversation).getBytes(StandardCharsets.UTF_8);
        // Readable, but typing does not belong on the message topic.
        byte[] misplaced = new EventCodec().encode(typing(conversation, ConversationKind.PRIVATE, alice, List.of(bob)));
        try (KafkaEventCollector deadLetters = KafkaEventCollector.fromNow(
                        infrastructure,
                        Topics.deadLetter(Topics.MESSAGE_EVENTS),
                        Topics.deadLetter(Topics.PRESENCE_EVENTS));
                WsTestClient bobClient = connect(bob)) {

            kafka.publishRaw(Topics.MESSAGE_EVENTS, Long.toString(conversation), garbage);
            kafka.publishRaw(Topics.MESSAGE_EVENTS, Long.toString(conversation), invalid);
            kafka.publishRaw(Topics.PRESENCE_EVENTS, Long.toString(conversation), presenceGarbage);
            kafka.publishRaw(Topics.MESSAGE_EVENTS, Long.toString(conversation), misplaced);
            kafka.publish(message(
                    conversation, ConversationKind.PRIVATE, 1, alice, List.of(alice, bob), "after-poison", null));
            kafka.publish(typing(conversation, ConversationKind.PRIVATE, alice, List.of(bob)));

            assertThat(bobClient
                            .awaitFrame("private_message")
                            .data()
                            .path("client_msg_id")
                            .asString())
                    .isEqualTo("after-poison");
            bobClient.awaitFrame("user_typing");
            // Each gateway writes its own copy, named by its id, with the bytes as they were and where they came from.
            await().atMost(Duration.ofSeconds(30)).until(() -> ours(deadLetters).size() >= 4);
            assertThat(ours(deadLetters))
                    .extracting(record -> new String(record.value(), StandardCharsets.UTF_8))
                    .containsExactlyInAnyOrder(
                            new String(garbage, StandardCharsets.UTF_8),
                            new String(invalid, StandardCharsets.UTF_8),
                            new String(presenceGarbage, StandardCharsets.UTF_8),
                            new String(misplaced, StandardCharsets.UTF_8));
            assertThat(ours(deadLetters)).allSatisfy(record -> {
                assertThat(record.key()).isEqualTo(Long.toString(conversation));
                assertThat(record.header("kafka_dlt-original-topic"))
                        .isEqualTo(record.topic().replace(".dlt", ""));
            });
        }
        assertThat(meters.counter("chat.gateway.events.skipped", "topic", Topics.MESSAGE_EVENTS)
                        .count())
                .isGreaterThanOrEqualTo(3);
        assertThat(meters.counter("chat.gateway.events.skipped", "topic", Topics.PRESENCE_EVENTS)
                        .count())
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void unreadableRecordsMixedWithGoodOnesAreLoggedOnceWithACountNotEachTime(CapturedOutput output) {
        long alice = newUserId();
        long bob = newUserId();
        long conversation = CONVERSATIONS.incrementAndGet();
        int logFrom = output.getAll().length();
        try (WsTestClient bobClient = connect(bob)) {
            // A producer of a newer version among older ones: every other record unreadable.
            for (int seq = 1; seq <= 10; seq++) {
                kafka.publishRaw(
                        Topics.MESSAGE_EVENTS,
                        Long.toString(conversation),
                        ("{\"eventType\":\"MessageCreated\",\"schemaVersion\":99,\"seq\":" + seq + "}")
                                .getBytes(StandardCharsets.UTF_8));
                kafka.publish(message(
                        conversation, ConversationKind.PRIVATE, seq, alice, List.of(alice, bob), "good-" + seq, null));
            }
            assertThat(bobClient.awaitFrames(
                            "private_message",
                            data -> data.path("conversation_id").asLong() == conversation,
                            10))
                    .extracting(frame -> frame.data().path("client_msg_id").asString())
                    .containsExactly(IntStream.rangeClosed(1, 10)
                            .mapToObj(seq -> "good-" + seq)
                            .toArray(String[]::new));
        }
        List<String> lines = output.getAll()
                .substring(logFrom)
                .lines()
                .filter(line -> line.toLowerCase(Locale.ROOT).contains("reading records from " + Topics.MESSAGE_EVENTS))
                .toList();
        assertThat(lines).as(String.join("\n", lines)).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void pingsAreAnsweredWhileABurstStreamsAndEveryMessageArrivesOnceInOrder() {
        long sender = newUserId();
        List<Long> members = List.of(sender, newUserId(), newUserId());
        try (WsTestClient first = connect(members.get(1));
                WsTestClient second = connect(members.get(2))) {
            long conversation = CONVERSATIONS.incrementAndGet();
            int burst = 300;
            for (int seq = 1; seq <= burst; seq++) {
                kafka.publish(
                        message(conversation, ConversationKind.GROUP, seq, sender, members, "burst-" + seq, null));
                if (seq % 10 == 0) {
                    // Control frames share the socket with the burst's writes: each waits its turn, none is lost.
                    first.ping("p" + seq);
                }
            }

            for (WsTestClient client : List.of(first, second)) {
                await().untilAsserted(() ->
                        assertThat(client.messagesIn(conversation)).hasSize(burst));
                assertThat(client.messagesIn(conversation))
                        .extracting(message -> message.path("seq").asLong())
                        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, burst)
                                .boxed()
                                .toList());
            }
            List<String> pongs = new java.util.ArrayList<>();
            for (int i = 0; i < burst / 10; i++) {
                pongs.add(first.awaitPong());
            }
            assertThat(pongs)
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, burst / 10)
                            .mapToObj(i -> "p" + i * 10)
                            .toList());
        }
    }

    /** The dead letters this test's gateway wrote (other gateways in the JVM write their own copies). */
    private static List<KafkaEventCollector.Received> ours(KafkaEventCollector deadLetters) {
        return deadLetters.records().stream()
                .filter(record -> "gateway-under-test".equals(record.header("chat-gateway-id")))
                .toList();
    }

    private SendOrigin origin(String sessionId) {
        return new SendOrigin("gateway-under-test", sessionId);
    }

    static MessageCreated message(
            long conversation,
            ConversationKind kind,
            long seq,
            long sender,
            List<Long> recipients,
            String clientMsgId,
            SendOrigin origin) {
        return new MessageCreated(
                UUID.randomUUID().toString(),
                conversation,
                kind,
                seq,
                sender,
                recipients,
                MessageType.TEXT,
                "message " + seq,
                null,
                clientMsgId,
                Instant.now(),
                origin);
    }

    static UserTyping typing(long conversation, ConversationKind kind, long user, List<Long> recipients) {
        return new UserTyping(conversation, kind, user, recipients, true, Instant.now());
    }
}
