package org.erpchat.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.erpchat.gateway.session.SessionRegistry;
import org.erpchat.gateway.support.Backends;
import org.erpchat.gateway.support.GatewayTest;
import org.erpchat.gateway.support.SecondGateway;
import org.erpchat.gateway.support.WsTestClient;
import org.erpchat.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Reconnecting clients get everything they missed, once and in order, from any gateway, however long they were away. */
class ResumeEndToEndTest extends GatewayTest {

    private static final Duration LONG_WAIT = Duration.ofMinutes(3);

    private final Backends backends = Backends.get();

    @Test
    void aClientThatDropsWhileAThousandMessagesAreSentGetsEachExactlyOnceInOrder() throws Exception {
        long alice = newUserId();
        long bob = newUserId();
        backends.provision(alice, bob);
        WsTestClient first = connect(bob);
        long conversation = backends.sendPrivate(alice, bob, "0", "k-" + alice + "-0")
                .path("conversation_id")
                .asLong();
        List<Long> seqs = new ArrayList<>();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> sending = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                int offset = thread;
                sending.add(senders.submit(() -> {
                    for (int i = 1 + offset; i <= 1000; i += 4) {
                        backends.sendPrivate(alice, bob, Integer.toString(i), "k-" + alice + "-" + i);
                    }
                }));
            }
            // Drop mid-stream, without a close handshake, as a lost network would.
            first.awaitFrames("private_message", data -> true, 200, LONG_WAIT);
            first.abort();
            first.messagesIn(conversation)
                    .forEach(message -> seqs.add(message.path("seq").asLong()));

            try (WsTestClient second = connectResuming(bob)) {
                second.send(
                        "resume", Map.of("positions", Map.of(Long.toString(conversation), seqs.get(seqs.size() - 1))));
                for (Future<?> future : sending) {
                    future.get();
                }
                second.awaitFrames(
                        "private_message",
                        data -> data.path("conversation_id").asLong() == conversation,
                        1001 - seqs.size(),
                        LONG_WAIT);
                second.messagesIn(conversation)
                        .forEach(message -> seqs.add(message.path("seq").asLong()));
                JsonNode result = second.awaitFrame("resume_result").data();
                assertThat(result.path("complete").asBoolean()).isTrue();
            }
        } finally {
            senders.shutdownNow();
        }

        assertThat(seqs)
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, 1001).boxed().toList());
    }

    @Test
    void aClientClaimingMoreThanAConversationHoldsIsBroughtBackToItsEndAndGetsWhatFollows() {
        long alice = newUserId();
        long bob = newUserId();
        backends.provision(alice, bob);
        long conversation = backends.sendPrivate(alice, bob, "1", "end-" + alice + "-1")
                .path("conversation_id")
                .asLong();

        // Positions kept across a restore of the database: far beyond the conversation's one message.
        try (WsTestClient client = connectResuming(bob)) {
            // Stored after the session opened, while it waits for the resume: news to it, whatever it claims.
            backends.sendPrivate(alice, bob, "2", "end-" + alice + "-2");
            client.send("resume", Map.of("positions", Map.of(Long.toString(conversation), 1_000_000L)));

            client.awaitFrames("private_message", data -> data.path("seq").asLong() == 2L, 1);
            JsonNode result = client.awaitFrame("resume_result").data();
            assertThat(result.path("complete").asBoolean()).isTrue();
            assertThat(result.path("positions")
                            .path(Long.toString(conversation))
                            .asLong())
                    .isEqualTo(2L);

            backends.sendPrivate(alice, bob, "3", "end-" + alice + "-3");

            client.awaitFrames("private_message", data -> data.path("seq").asLong() == 3L, 1);
            List<Long> seqs = client.messagesIn(conversation).stream()
                    .map(message -> message.path("seq").asLong())
                    .toList();
            // Message 1 was stored within a second of the session opening, which counts as news to it (the clocks of
            // message-service and the gateway may differ by that much): it may come again, once, in order.
            assertThat(seqs).isIn(List.of(2L, 3L), List.of(1L, 2L, 3L));
        }
    }

    @Test
    void aClientResumesOnAnotherGatewayInstance() {
        long alice = newUserId();
        long bob = newUserId();
        backends.provision(alice, bob);
        long conversation;
        Map<String, Long> positions;
        try (WsTestClient onFirst = connect(bob)) {
            conversation = backends.sendPrivate(alice, bob, "before 1", "x-" + alice + "-1")
                    .path("conversation_id")
                    .asLong();
            backends.sendPrivate(alice, bob, "before 2", "x-" + alice + "-2");
            onFirst.awaitFrames("private_message", data -> true, 2);
            positions = onFirst.positions();
        }
        for (int i = 3; i <= 30; i++) {
            backends.sendPrivate(alice, bob, "while away " + i, "x-" + alice + "-" + i);
        }

        try (SecondGateway other = new SecondGateway("second-gateway");
                WsTestClient onSecond =
                        WsTestClient.connect(other.wsUri("token=" + TestTokens.forUser(bob) + "&resume=true"))) {
            onSecond.awaitFrame("connected");
            onSecond.send("resume", Map.of("positions", positions));
            backends.sendPrivate(alice, bob, "live", "x-" + alice + "-31");

            onSecond.awaitFrames(
                    "private_message", data -> data.path("conversation_id").asLong() == conversation, 29);
            assertThat(onSecond.awaitFrame("resume_result")
                            .data()
                            .path("complete")
                            .asBoolean())
                    .isTrue();
            assertThat(onSecond.messagesIn(conversation))
                    .extracting(message -> message.path("seq").asLong())
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(3, 31).boxed().toList());
        }
    }

    @Test
    void aResumeRevealsConversationsTheClientHasNeverSeen() {
        long alice = newUserId();
        long bob = newUserId();
        long carol = newUserId();
        backends.provision(alice, bob, carol);
        long known = backends.sendPrivate(alice, bob, "known 1", "n-" + alice + "-1")
                .path("conversation_id")
                .asLong();
        backends.sendPrivate(alice, bob, "known 2", "n-" + alice + "-2");
        long unseen = backends.sendPrivate(carol, bob, "from carol", "n-" + carol + "-1")
                .path("conversation_id")
                .asLong();
        long group = backends.createGroup(alice, "Board", bob);

        try (WsTestClient client = connectResuming(bob)) {
            client.send("resume", Map.of("positions", Map.of(Long.toString(known), 1)));

            JsonNode result = client.awaitFrame("resume_result").data();
            assertThat(result.path("complete").asBoolean()).isTrue();
            assertThat(client.messagesIn(known))
                    .extracting(message -> message.path("content").asString())
                    .containsExactly("known 2");
            assertThat(client.messagesIn(unseen))
                    .extracting(message -> message.path("content").asString())
                    .containsExactly("from carol");
            assertThat(client.messagesIn(group))
                    .isNotEmpty()
                    .allSatisfy(message ->
                            assertThat(message.path("type").asString()).isEqualTo("system"));
            assertThat(result.path("positions").path(Long.toString(unseen)).asLong())
                    .isEqualTo(1);
        }
    }

    @Test
    void aReplayedMessageIsTheFrameItsLiveDeliveryWasByteForByte() {
        long alice = newUserId();
        long bob = newUserId();
        backends.provision(alice, bob);
        try (WsTestClient live = connect(bob)) {
            backends.sendPrivate(alice, bob, "Chào Bob \uD83D\uDC4B <b>", "same-" + alice);
            long group = backends.createGroup(alice, "Kho", bob);
            WsTestClient.Frame privateLive = live.awaitFrame("private_message");
            List<WsTestClient.Frame> groupLive = live.awaitFrames(
                    "group_message", data -> data.path("conversation_id").asLong() == group, 1, LONG_WAIT);

            try (WsTestClient resuming = connectResuming(bob)) {
                resuming.send("resume", Map.of("positions", Map.of()));
                resuming.awaitFrame("resume_result");

                // Replayed messages come from message-service's JSON as it is, not re-serialized by the gateway.
                assertThat(resuming.frames("private_message"))
                        .extracting(WsTestClient.Frame::raw)
                        .containsExactly(privateLive.raw());
                assertThat(resuming.frames("group_message"))
                        .extracting(WsTestClient.Frame::raw)
                        .contains(groupLive.get(0).raw());
            }
        }
    }

    @Test
    void aLongAbsenceInSeveralConversationsReplaysPageByPageEachMessageOnceInOrder() {
        long bob = newUserId();
        List<Long> friends = List.of(newUserId(), newUserId(), newUserId());
        backends.provision(bob, friends.get(0), friends.get(1), friends.get(2));
        List<Long> conversations = new ArrayList<>();
        // 360 messages: four pages of 100 (GatewayTest), each fed in chunks of 32 into a queue of 64.
        for (long friend : friends) {
            for (int i = 1; i <= 120; i++) {
                JsonNode sent = backends.sendPrivate(friend, bob, friend + "/" + i, "l-" + friend + "-" + i);
                if (i == 1) {
                    conversations.add(sent.path("conversation_id").asLong());
                }
            }
        }

        try (WsTestClient client = connectResuming(bob)) {
            client.send("resume", Map.of("positions", Map.of()));

            JsonNode result = client.awaitFrames("resume_result", data -> true, 1, LONG_WAIT)
                    .get(0)
                    .data();
            assertThat(result.path("complete").asBoolean()).isTrue();
            assertThat(result.path("replayed").asLong()).isEqualTo(360);
            for (long conversation : conversations) {
                assertThat(client.messagesIn(conversation))
                        .extracting(message -> message.path("seq").asLong())
                        .containsExactlyElementsOf(
                                LongStream.rangeClosed(1, 120).boxed().toList());
                assertThat(result.path("positions")
                                .path(Long.toString(conversation))
                                .asLong())
                        .isEqualTo(120);
            }
        }
    }

    @Test
    void aReplayOfTheLongestMessagesStreamsAtTheClientsPaceWithoutOverflowingItsQueue() throws Exception {
        long alice = newUserId();
        long bob = newUserId();
        backends.provision(alice, bob);
        long group = backends.createGroup(alice, "Long reads", bob);
        // 4,000 code points (the most content holds): 2,000 emoji of 4 bytes and 2,000 control characters of 6 once
        // escaped in JSON, some 20 KB a frame. A first page of 200 is 4 MB, four times what the queue holds.
        String longest = "\uD83D\uDE00\u0001".repeat(2000);
        List<JsonNode> sent = new CopyOnWriteArrayList<>();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> sending = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                int offset = thread;
                sending.add(senders.submit(() -> {
                    for (int i = 1 + offset; i <= 250; i += 4) {
                        sent.add(backends.sendGroup(alice, group, longest, "long-" + alice + "-" + i));
                    }
                }));
            }
            for (Future<?> future : sending) {
                future.get();
            }
        } finally {
            senders.shutdownNow();
        }
        long conversation = sent.get(0).path("conversation_id").asLong();
        long last = sent.stream()
                .mapToLong(message -> message.path("seq").asLong())
                .max()
                .orElseThrow();

        // The production queue (512 frames, 1 MB) and page size (1,000), which the other tests shrink.
        try (SecondGateway gateway =
                        new SecondGateway("long-replay-gateway", Map.of("chat.gateway.outbound.max-messages", "512"));
                WsTestClient client =
                        WsTestClient.connect(gateway.wsUri("token=" + TestTokens.forUser(bob) + "&resume=true"))) {
            client.awaitFrame("connected");
            client.send("resume", Map.of("positions", Map.of(Long.toString(conversation), 0)));

            await().atMost(LONG_WAIT)
                    .until(() ->
                            client.isClosed() || !client.frames("resume_result").isEmpty());
            assertThat(client.isClosed())
                    .as(
                            "closed (%s) after %d messages",
                            client.closeReason(),
                            client.messagesIn(conversation).size())
                    .isFalse();
            assertThat(client.awaitFrame("resume_result")
                            .data()
                            .path("complete")
                            .asBoolean())
                    .isTrue();
            List<JsonNode> replayed = client.messagesIn(conversation);
            assertThat(replayed)
                    .extracting(message -> message.path("seq").asLong())
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(1, last).boxed().toList());
            assertThat(replayed)
                    .filteredOn(message -> message.path("type").asString().equals("text"))
                    .hasSize(250)
                    .allSatisfy(message ->
                            assertThat(message.path("content").asString()).isEqualTo(longest));
        }
    }

    @Autowired
    SessionRegistry sessions;

    private boolean stillConnected(long user) {
        return sessions.sessionsOf(user).stream().anyMatch(session -> !session.isClosing());
    }

    @Test
    void aClientTooSlowToReadIsClosedAndLosesNothingWhenItResumes() {
        long alice = newUserId();
        long bob = newUserId();
        backends.provision(alice, bob);
        String bulky = "y".repeat(3000);
        WsTestClient slow = connect(bob);
        long conversation = backends.sendPrivate(alice, bob, "start", "s-" + alice + "-0")
                .path("conversation_id")
                .asLong();
        slow.awaitFrame("private_message");
        slow.pause();
        int sent = 1;
        while (stillConnected(bob) && sent < 3000) {
            backends.sendPrivate(alice, bob, bulky, "s-" + alice + "-" + sent++);
        }
        slow.unpause();

        assertThat(slow.awaitClose()).isEqualTo(4001);
        try (WsTestClient again = connectResuming(bob)) {
            again.send("resume", Map.of("positions", slow.positions()));
            int expected = sent;
            again.awaitFrame("resume_result");
            List<Long> all = new ArrayList<>();
            slow.messagesIn(conversation)
                    .forEach(message -> all.add(message.path("seq").asLong()));
            again.messagesIn(conversation)
                    .forEach(message -> all.add(message.path("seq").asLong()));
            assertThat(all)
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(1, expected).boxed().toList());
        }
    }
}
