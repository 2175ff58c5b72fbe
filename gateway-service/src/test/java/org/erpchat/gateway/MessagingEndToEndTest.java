package org.erpchat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.erpchat.events.Topics;
import org.erpchat.gateway.support.Backends;
import org.erpchat.gateway.support.GatewayTest;
import org.erpchat.gateway.support.WsTestClient;
import org.erpchat.testsupport.ChatInfrastructure;
import org.erpchat.testsupport.TopicEnds;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import tools.jackson.databind.JsonNode;

/** Client sends through the gateway, message-service and Kafka, back to the right sessions. */
class MessagingEndToEndTest extends GatewayTest {

    @Autowired
    ChatInfrastructure infrastructure;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    private final Backends backends = Backends.get();

    @Test
    void theSeedsClientChatsBothWaysUnchanged() {
        long alice = newUserId();
        long bob = newUserId();
        backends.provision(alice, bob);
        try (WsTestClient aliceClient = connect(alice);
                WsTestClient bobClient = connect(bob)) {
            // Exactly the seed's frame: no client_msg_id.
            aliceClient.send("send_private_message", Map.of("receiver_id", bob, "content", "Hello!", "type", "text"));

            JsonNode received = bobClient.awaitFrame("private_message").data();
            assertThat(received.path("receiver_id").asLong()).isEqualTo(bob);
            assertThat(received.path("sender_id").asLong()).isEqualTo(alice);
            assertThat(received.path("content").asString()).isEqualTo("Hello!");
            assertThat(received.path("type").asString()).isEqualTo("text");
            assertThat(received.has("file_id")).isTrue();
            JsonNode ack = aliceClient.awaitFrame("message_sent").data();
            assertThat(ack.path("id").asString()).isEqualTo(received.path("id").asString());
            assertThat(ack.path("seq").asLong()).isEqualTo(1);

            bobClient.send(
                    "send_private_message",
                    Map.of("receiver_id", alice, "content", "Hi Alice", "client_msg_id", "b-1"));

            assertThat(aliceClient
                            .awaitFrame("private_message")
                            .data()
                            .path("content")
                            .asString())
                    .isEqualTo("Hi Alice");
            assertThat(bobClient.awaitFrame("message_sent").data().path("seq").asLong())
                    .isEqualTo(2);
        }
    }

    @Test
    void groupMessagesReachMembersOnlyAndEveryOneOfTheirSessions() {
        long owner = newUserId();
        long member = newUserId();
        long outsider = newUserId();
        backends.provision(owner, member, outsider);
        long group = backends.createGroup(owner, "Purchasing", member);
        try (WsTestClient ownerTab1 = connect(owner);
                WsTestClient ownerTab2 = connect(owner);
                WsTestClient memberClient = connect(member);
                WsTestClient outsiderClient = connect(outsider)) {
            ownerTab1.send(
                    "send_group_message",
                    Map.of("group_id", group, "content", "PO 4711 approved", "client_msg_id", "g-1"));
            ownerTab1.awaitFrame("message_sent");
            // Last: once the outsider has this, the group message has been routed too.
            backends.sendPrivate(owner, outsider, "private note", "p-" + outsider);

            assertThat(memberClient
                            .awaitFrame(
                                    "group_message",
                                    data -> data.path("client_msg_id")
                                            .asString()
                                            .equals("g-1"))
                            .data()
                            .path("group_id")
                            .asLong())
                    .isEqualTo(group);
            ownerTab2.awaitFrame(
                    "group_message",
                    data -> data.path("client_msg_id").asString().equals("g-1"));
            outsiderClient.awaitFrame("private_message");
            assertThat(outsiderClient.messages())
                    .extracting(message -> message.path("content").asString())
                    .containsExactly("private note");
        }
    }

    @Test
    void aGroupMessageForManySessionsReachesEachOfThemAsTheSameBytesItsAcknowledgementCarries() {
        // Ten sessions: the delivery frame is built once off the heap (PreparedMessage) and written to every socket.
        long owner = newUserId();
        long[] members = new long[9];
        for (int i = 0; i < members.length; i++) {
            members[i] = newUserId();
        }
        backends.provision(owner);
        backends.provision(members);
        long group = backends.createGroup(owner, "Warehouse", members);
        List<WsTestClient> memberClients = new java.util.ArrayList<>();
        try (WsTestClient ownerClient = connect(owner)) {
            for (long member : members) {
                memberClients.add(connect(member));
            }
            ownerClient.send(
                    "send_group_message",
                    Map.of("group_id", group, "content", "Kiểm kê kho lúc 16:00", "client_msg_id", "many-1"));
            JsonNode acknowledged = ownerClient.awaitFrame("message_sent").data();

            List<String> delivered = memberClients.stream()
                    .map(client -> client.awaitFrame(
                                    "group_message",
                                    data -> data.path("client_msg_id")
                                            .asString()
                                            .equals("many-1"))
                            .raw())
                    .toList();
            assertThat(delivered).hasSize(members.length).containsOnly(delivered.get(0));
            JsonNode frame = WsTestClient.JSON.readTree(delivered.get(0));
            assertThat(frame.path("event").asString()).isEqualTo("group_message");
            assertThat(frame.path("data")).isEqualTo(acknowledged);
            assertThat(frame.path("data").path("content").asString()).isEqualTo("Kiểm kê kho lúc 16:00");
        } finally {
            memberClients.forEach(WsTestClient::close);
        }
    }

    @Test
    void refusedSendsAreAnsweredWithMessageErrorAndTheirCode() {
        long alice = newUserId();
        long bob = newUserId();
        long carol = newUserId();
        backends.provision(alice, bob, carol);
        long strangersGroup = backends.createGroup(bob, "Not Alice's", carol);
        try (WsTestClient client = connect(alice)) {
            client.send(
                    "send_private_message",
                    Map.of("receiver_id", bob, "content", "x".repeat(4001), "client_msg_id", "e-1"));
            client.send(
                    "send_private_message",
                    Map.of("receiver_id", newUserId(), "content", "who?", "client_msg_id", "e-2"));
            client.send(
                    "send_group_message",
                    Map.of("group_id", strangersGroup, "content", "let me in", "client_msg_id", "e-3"));
            client.send("send_private_message", Map.of("receiver_id", alice, "content", "me", "client_msg_id", "e-4"));

            assertThat(client.awaitFrame(
                                    "message_error",
                                    data -> data.path("client_msg_id")
                                            .asString()
                                            .equals("e-1"))
                            .data()
                            .path("code")
                            .asString())
                    .isEqualTo("content_too_long");
            assertThat(code(client, "e-2")).isEqualTo("unknown_receiver");
            assertThat(code(client, "e-3")).isEqualTo("unknown_group");
            assertThat(code(client, "e-4")).isEqualTo("self_message");
            assertThat(client.frames("message_sent")).isEmpty();
        }
    }

    @Test
    void aRetriedSendIsAcknowledgedWithTheOriginalAndDeliveredOnce() {
        long alice = newUserId();
        long bob = newUserId();
        backends.provision(alice, bob);
        try (WsTestClient aliceClient = connect(alice);
                WsTestClient bobClient = connect(bob)) {
            Map<String, Object> send = Map.of("receiver_id", bob, "content", "only once", "client_msg_id", "retry-1");
            aliceClient.send("send_private_message", send);
            aliceClient.awaitFrame("message_sent");

            aliceClient.send("send_private_message", send);
            List<WsTestClient.Frame> acks = aliceClient.awaitFrames("message_sent", data -> true, 2);
            backends.sendPrivate(alice, bob, "after", "retry-2");

            assertThat(acks.get(1).data().path("id").asString())
                    .isEqualTo(acks.get(0).data().path("id").asString());
            assertThat(acks.get(1).data().path("seq").asLong())
                    .isEqualTo(acks.get(0).data().path("seq").asLong());
            bobClient.awaitFrame(
                    "private_message",
                    data -> data.path("client_msg_id").asString().equals("retry-2"));
            assertThat(bobClient.messages())
                    .extracting(message -> message.path("client_msg_id").asString())
                    .containsExactly("retry-1", "retry-2");
        }
    }

    @Test
    void markingReadTellsTheReadersSessionsAndThePeer() {
        long alice = newUserId();
        long bob = newUserId();
        backends.provision(alice, bob);
        try (WsTestClient aliceClient = connect(alice);
                WsTestClient bobClient = connect(bob)) {
            JsonNode message = backends.sendPrivate(alice, bob, "read me", "r-" + alice);
            long conversation = message.path("conversation_id").asLong();
            bobClient.awaitFrame("private_message");

            bobClient.send(
                    "mark_read",
                    Map.of(
                            "conversation_id",
                            conversation,
                            "seq",
                            message.path("seq").asLong()));

            JsonNode receipt = aliceClient.awaitFrame("conversation_read").data();
            assertThat(receipt.path("user_id").asLong()).isEqualTo(bob);
            assertThat(receipt.path("read_seq").asLong())
                    .isEqualTo(message.path("seq").asLong());
            bobClient.awaitFrame("conversation_read");

            bobClient.send("mark_read", Map.of("conversation_id", 999_999_999L, "seq", 1));
            assertThat(bobClient.awaitFrame("error").data().path("code").asString())
                    .isEqualTo("unknown_conversation");
        }
    }

    @Test
    void markReadThatDoesNotMoveTheMarkerIsAnsweredToTheRequestingSessionAlone() {
        long alice = newUserId();
        long bob = newUserId();
        backends.provision(alice, bob);
        try (WsTestClient aliceClient = connect(alice);
                WsTestClient bobTab1 = connect(bob);
                WsTestClient bobTab2 = connect(bob)) {
            backends.sendPrivate(alice, bob, "one", "m-" + alice + "-1");
            JsonNode second = backends.sendPrivate(alice, bob, "two", "m-" + alice + "-2");
            long conversation = second.path("conversation_id").asLong();
            bobTab1.awaitFrames("private_message", data -> true, 2);

            // Moves the marker: every session of the reader and the peer hear it once, through Kafka.
            bobTab1.send("mark_read", Map.of("conversation_id", conversation, "seq", 2));
            bobTab1.awaitFrame("conversation_read");
            bobTab2.awaitFrame("conversation_read");
            aliceClient.awaitFrame("conversation_read");

            // Does not move it (behind the marker): the current marker, to the requesting session only.
            bobTab1.send("mark_read", Map.of("conversation_id", conversation, "seq", 1));
            List<WsTestClient.Frame> answers = bobTab1.awaitFrames("conversation_read", data -> true, 2);
            assertThat(answers.get(1).data().path("conversation_id").asLong()).isEqualTo(conversation);
            assertThat(answers.get(1).data().path("user_id").asLong()).isEqualTo(bob);
            assertThat(answers.get(1).data().path("read_seq").asLong()).isEqualTo(2);

            bobTab2.send("ping", Map.of());
            bobTab2.awaitFrame("pong");
            aliceClient.send("ping", Map.of());
            aliceClient.awaitFrame("pong");
            assertThat(bobTab1.frames("conversation_read")).hasSize(2);
            assertThat(bobTab2.frames("conversation_read")).hasSize(1);
            assertThat(aliceClient.frames("conversation_read")).hasSize(1);
        }
    }

    @Test
    void messagesTheGatewayMissedAreFetchedBeforeTheNextLiveOneIsDelivered() throws Exception {
        long alice = newUserId();
        long bob = newUserId();
        backends.provision(alice, bob);
        try (WsTestClient bobClient = connect(bob)) {
            long conversation = backends.sendPrivate(alice, bob, "one", "gap-1")
                    .path("conversation_id")
                    .asLong();
            bobClient.awaitFrame("private_message");

            // The gateway loses two events: its consumer is stopped and, meanwhile, moved past them.
            MessageListenerContainer container = listeners.getListenerContainer("gateway-message-events");
            container.stop();
            backends.sendPrivate(alice, bob, "two", "gap-2");
            backends.sendPrivate(alice, bob, "three", "gap-3");
            skipToEnd("gateway-gateway-under-test-messages", Topics.MESSAGE_EVENTS);
            container.start();
            backends.sendPrivate(alice, bob, "four", "gap-4");

            bobClient.awaitFrames("private_message", data -> true, 4);
            assertThat(bobClient.messagesIn(conversation))
                    .extracting(message -> message.path("content").asString())
                    .containsExactly("one", "two", "three", "four");
        }
    }

    private void skipToEnd(String group, String topic) throws Exception {
        try (Admin admin = Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers()))) {
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> admin.describeConsumerGroups(List.of(group))
                            .all()
                            .get()
                            .get(group)
                            .members()
                            .isEmpty());
            Map<TopicPartition, OffsetAndMetadata> ends = new java.util.HashMap<>();
            TopicEnds.of(admin, topic).forEach((partition, end) -> ends.put(partition, new OffsetAndMetadata(end)));
            admin.alterConsumerGroupOffsets(group, ends).all().get();
        }
    }

    private static String code(WsTestClient client, String clientMsgId) {
        return client.awaitFrame(
                        "message_error",
                        data -> data.path("client_msg_id").asString().equals(clientMsgId))
                .data()
                .path("code")
                .asString();
    }
}
