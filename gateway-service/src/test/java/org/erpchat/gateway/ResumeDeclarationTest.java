package org.erpchat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.erpchat.gateway.support.Backends;
import org.erpchat.gateway.support.GatewayTest;
import org.erpchat.gateway.support.SecondGateway;
import org.erpchat.gateway.support.WsTestClient;
import org.erpchat.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Who waits for a resume and who does not (docs/protocol.md §8): a client that declared it will resume has its live
 * messages held until its resume, however many frames that takes; a client that did not (the seed's) gets live
 * messages at once. The test gateway's resume window is 60 s, so a hold would show as a missing message.
 */
class ResumeDeclarationTest extends GatewayTest {

    private final Backends backends = Backends.get();

    @Test
    void aSeedClientThatNeverResumesGetsLiveMessagesWithoutAHold() {
        long alice = newUserId();
        long bob = newUserId();
        backends.provision(alice, bob);
        try (WsTestClient seed = connect(bob)) {
            assertThat(seed.awaitFrame("connected")
                            .data()
                            .path("awaiting_resume")
                            .asBoolean())
                    .isFalse();

            backends.sendPrivate(alice, bob, "right away", "h-" + alice + "-1");

            assertThat(seed.awaitFrame("private_message").data().path("content").asString())
                    .isEqualTo("right away");
        }
    }

    @Test
    void aDeclaredClientsLiveMessagesWaitForItsResumeEvenAcrossOtherFramesAndFollowTheReplayInOrder() {
        long alice = newUserId();
        long bob = newUserId();
        backends.provision(alice, bob);
        long conversation = backends.sendPrivate(alice, bob, "missed", "d-" + alice + "-1")
                .path("conversation_id")
                .asLong();
        try (WsTestClient client = connectResuming(bob)) {
            assertThat(client.awaitFrame("connected")
                            .data()
                            .path("awaiting_resume")
                            .asBoolean())
                    .isTrue();
            backends.sendPrivate(alice, bob, "live", "d-" + alice + "-2");
            // Frames other than resume do not end the wait: the client declared it will resume.
            client.send("ping", Map.of());
            client.awaitFrame("pong");
            client.send("typing", Map.of("conversation_id", conversation, "is_typing", true));

            client.send("resume", Map.of("positions", Map.of(Long.toString(conversation), 0)));

            client.awaitFrame("resume_result");
            client.awaitFrames("private_message", data -> true, 2);
            assertThat(client.messagesIn(conversation))
                    .extracting(message -> message.path("content").asString())
                    .containsExactly("missed", "live");
        }
    }

    @Test
    void aSendBeforeTheResumeIsAcknowledgedOnceAfterTheReplayAndNeverAlsoDelivered() {
        long alice = newUserId();
        long bob = newUserId();
        backends.provision(alice, bob);
        long conversation = backends.sendPrivate(alice, bob, "before", "s-" + alice + "-1")
                .path("conversation_id")
                .asLong();
        try (WsTestClient aliceClient = connect(alice);
                WsTestClient otherTab = connect(bob);
                WsTestClient client = connectResuming(bob)) {
            String own = "s-" + bob + "-own";
            client.send(
                    "send_private_message",
                    Map.of("receiver_id", alice, "content", "while awaiting", "client_msg_id", own));
            // Stored and on its way: the acknowledgement waits for the resume, since it carries a seq.
            aliceClient.awaitFrame(
                    "private_message",
                    data -> own.equals(data.path("client_msg_id").asString()));
            // Sent by the same user from another connection: to this one, a message like any other.
            String otherTabs = "s-" + bob + "-other-tab";
            otherTab.send(
                    "send_private_message",
                    Map.of("receiver_id", alice, "content", "from the other tab", "client_msg_id", otherTabs));
            aliceClient.awaitFrame(
                    "private_message",
                    data -> otherTabs.equals(data.path("client_msg_id").asString()));
            assertThat(client.messages()).isEmpty();

            client.send("resume", Map.of("positions", Map.of(Long.toString(conversation), 1)));

            JsonNode result = client.awaitFrame("resume_result").data();
            assertThat(result.path("complete").asBoolean()).isTrue();
            assertThat(client.frames().stream()
                            .filter(frame ->
                                    List.of("private_message", "message_sent").contains(frame.event()))
                            .map(frame -> frame.event() + " "
                                    + frame.data().path("client_msg_id").asString() + " "
                                    + frame.data().path("seq").asLong()))
                    .containsExactly("message_sent " + own + " 2", "private_message " + otherTabs + " 3");
        }
    }

    @Test
    void theAuthFrameCanDeclareTheResumeToo() {
        long alice = newUserId();
        long bob = newUserId();
        backends.provision(alice, bob);
        long conversation = backends.sendPrivate(alice, bob, "first", "a-" + alice + "-1")
                .path("conversation_id")
                .asLong();
        try (WsTestClient client = WsTestClient.connect(wsUri())) {
            client.send("auth", Map.of("token", TestTokens.forUser(bob), "resume", true));
            assertThat(client.awaitFrame("connected")
                            .data()
                            .path("awaiting_resume")
                            .asBoolean())
                    .isTrue();
            backends.sendPrivate(alice, bob, "second", "a-" + alice + "-2");

            client.send("resume", Map.of("positions", Map.of()));

            client.awaitFrames("private_message", data -> true, 2);
            assertThat(client.messagesIn(conversation))
                    .extracting(message -> message.path("content").asString())
                    .containsExactly("first", "second");
        }
    }

    @Test
    void aResumeInSeveralFramesReplaysEveryListedConversationFromItsPositionAndNoneFromItsStart() {
        long bob = newUserId();
        long alice = newUserId();
        long carol = newUserId();
        backends.provision(alice, bob, carol);
        long withAlice = send(alice, bob, 3);
        long withCarol = send(carol, bob, 3);
        // Far more conversations than one 16 KB frame can list: most of them do not exist, as for a client whose
        // stored positions include conversations it has left.
        Map<String, Long> firstHalf = new HashMap<>();
        Map<String, Long> secondHalf = new HashMap<>();
        for (long id = 1; id <= 1500; id++) {
            (id % 2 == 0 ? firstHalf : secondHalf).put(Long.toString(900_000_000L + id), 5L);
        }
        firstHalf.put(Long.toString(withAlice), 2L);
        secondHalf.put(Long.toString(withCarol), 1L);

        try (WsTestClient client = connectResuming(bob)) {
            client.send("resume", Map.of("positions", firstHalf, "more", true));
            client.send("resume", Map.of("positions", secondHalf));

            JsonNode result = client.awaitFrame("resume_result").data();
            assertThat(result.path("complete").asBoolean()).isTrue();
            assertThat(contents(client, withAlice)).containsExactly("3");
            assertThat(contents(client, withCarol)).containsExactly("2", "3");
            assertThat(client.frames("error")).isEmpty();
        }
    }

    @Test
    void aResumeWhoseFramesListTooManyConversationsIsRefusedAndTheConnectionStaysUsable() {
        long bob = newUserId();
        backends.provision(bob);
        try (SecondGateway gateway = new SecondGateway(
                        "resume-limit-gateway", Map.of("chat.gateway.replay.max-resume-positions", "3"));
                WsTestClient client =
                        WsTestClient.connect(gateway.wsUri("token=" + TestTokens.forUser(bob) + "&resume=true"))) {
            client.awaitFrame("connected");
            client.send("resume", Map.of("positions", Map.of("1", 1, "2", 1), "more", true));
            client.send("resume", Map.of("positions", Map.of("3", 1, "4", 1)));

            JsonNode error = client.awaitFrame("error").data();
            assertThat(error.path("code").asString()).isEqualTo("invalid_payload");
            assertThat(error.path("event").asString()).isEqualTo("resume");

            client.send("resume", Map.of("positions", Map.of("3", 1)));
            assertThat(client.awaitFrame("resume_result")
                            .data()
                            .path("complete")
                            .asBoolean())
                    .isTrue();
        }
    }

    @Test
    void aResumeWhileOneIsRunningIsRefusedAndEveryRefusalCountsAgainstTheConnection() throws Exception {
        long bob = newUserId();
        backends.provision(bob);
        // A message-service that takes connections and never answers: the first resume's page request waits for the
        // read timeout (10 s), so that resume is still running when the next ones arrive, however slow the machine.
        // The burst is raised so that only the refusals count, not the frame rate.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                SecondGateway gateway = new SecondGateway(
                        "silent-backend-gateway",
                        Map.of(
                                "chat.gateway.message-service.base-url",
                                "http://127.0.0.1:" + silent.getLocalPort(),
                                "chat.gateway.inbound.burst",
                                "100"));
                WsTestClient client =
                        WsTestClient.connect(gateway.wsUri("token=" + TestTokens.forUser(bob) + "&resume=true"))) {
            client.awaitFrame("connected");
            Map<String, Object> resume = Map.of("positions", Map.of("1", 1));
            client.send("resume", resume);
            client.send("resume", resume);

            JsonNode error = client.awaitFrame("error").data();
            assertThat(error.path("code").asString()).isEqualTo("resume_in_progress");
            assertThat(error.path("event").asString()).isEqualTo("resume");
            client.send("ping", Map.of());
            client.awaitFrame("pong");
            assertThat(client.isClosed()).isFalse();

            // Each refusal counts (docs/protocol.md §5): the 31st within the window closes the connection.
            for (int i = 0; i < 30; i++) {
                client.send("resume", resume);
            }
            assertThat(client.awaitClose()).isEqualTo(1008);
            assertThat(client.frames("error"))
                    .hasSize(31)
                    .extracting(frame -> frame.data().path("code").asString())
                    .containsOnly("resume_in_progress");
            // Unanswered requests fail at once now, rather than hold the gateway's shutdown for their timeout.
            silent.close();
        }
    }

    @Test
    void aDeclaredClientThatNeverResumesGetsItsLiveMessagesWhenTheWindowEnds() {
        long alice = newUserId();
        long bob = newUserId();
        backends.provision(alice, bob);
        try (SecondGateway gateway =
                        new SecondGateway("resume-window-gateway", Map.of("chat.gateway.replay.resume-window", "1s"));
                WsTestClient client =
                        WsTestClient.connect(gateway.wsUri("token=" + TestTokens.forUser(bob) + "&resume=true"))) {
            assertThat(client.awaitFrame("connected")
                            .data()
                            .path("resume_window_ms")
                            .asLong())
                    .isEqualTo(1000);

            backends.sendPrivate(alice, bob, "held, then released", "w-" + alice + "-1");

            assertThat(client.awaitFrame("private_message")
                            .data()
                            .path("content")
                            .asString())
                    .isEqualTo("held, then released");
            assertThat(client.frames("resume_result")).isEmpty();
        }
    }

    private long send(long from, long to, int count) {
        long conversation = 0;
        for (int i = 1; i <= count; i++) {
            conversation = backends.sendPrivate(from, to, Integer.toString(i), "m-" + from + "-" + to + "-" + i)
                    .path("conversation_id")
                    .asLong();
        }
        return conversation;
    }

    private static List<String> contents(WsTestClient client, long conversation) {
        return client.messagesIn(conversation).stream()
                .map(message -> message.path("content").asString())
                .toList();
    }
}
