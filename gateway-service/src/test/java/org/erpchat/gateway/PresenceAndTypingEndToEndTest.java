package org.erpchat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.erpchat.gateway.support.Backends;
import org.erpchat.gateway.support.GatewayTest;
import org.erpchat.gateway.support.SecondGateway;
import org.erpchat.gateway.support.WsTestClient;
import org.erpchat.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Online status and typing, through presence-service, to exactly the users who share a conversation. */
class PresenceAndTypingEndToEndTest extends GatewayTest {

    private final Backends backends = Backends.get();

    @Test
    void contactsSeeAUserComeOnlineAndGoOfflineStrangersDoNot() {
        long alice = newUserId();
        long bob = newUserId();
        long stranger = newUserId();
        backends.provision(alice, bob, stranger);
        backends.sendPrivate(bob, alice, "hi", "pr-" + bob);
        try (WsTestClient bobClient = connect(bob);
                WsTestClient strangerClient = connect(stranger)) {
            WsTestClient aliceClient = connect(alice);

            JsonNode online = bobClient
                    .awaitFrame(
                            "user_online_status", data -> data.path("user_id").asLong() == alice)
                    .data();
            assertThat(online.path("is_online").asBoolean()).isTrue();

            aliceClient.close();

            JsonNode offline = bobClient
                    .awaitFrame(
                            "user_online_status",
                            data -> data.path("user_id").asLong() == alice
                                    && !data.path("is_online").asBoolean())
                    .data();
            assertThat(offline.path("last_seen_at").asString()).isNotBlank();
            // Last: by the time bob heard of it, the stranger would have too.
            assertThat(strangerClient.frames("user_online_status"))
                    .noneMatch(frame -> frame.data().path("user_id").asLong() == alice);
        }
    }

    @Test
    void aConnectingUserIsToldWhichContactsAreOnline() {
        long alice = newUserId();
        long bob = newUserId();
        backends.provision(alice, bob);
        backends.sendPrivate(alice, bob, "hello", "po-" + alice);
        try (WsTestClient aliceClient = connect(alice)) {
            // presence-service has seen alice's session once it tells others about her.
            try (WsTestClient probe = connect(bob)) {
                probe.awaitFrame(
                        "user_online_status", data -> data.path("user_id").asLong() == alice);
            }
            try (WsTestClient bobClient = connect(bob)) {
                assertThat(bobClient
                                .awaitFrame(
                                        "user_online_status",
                                        data -> data.path("user_id").asLong() == alice)
                                .data()
                                .path("is_online")
                                .asBoolean())
                        .isTrue();
            }
        }
    }

    @Test
    void aUserWhoReconnectsHearsOfAContactMadeWhileTheyWereAway() {
        long alice = newUserId();
        long bob = newUserId();
        long carol = newUserId();
        backends.provision(alice, bob, carol);
        backends.sendPrivate(carol, alice, "an old contact", "old-" + carol);
        try (WsTestClient carolClient = connect(carol);
                WsTestClient bobClient = connect(bob)) {
            // alice's first session: once told that carol is online, the gateway knows alice's contacts.
            WsTestClient firstSession = connect(alice);
            awaitStatus(firstSession, carol, true);
            firstSession.close();
            // carol hears that alice left: the gateway has closed the session and kept alice's contacts.
            awaitStatus(carolClient, alice, false);

            backends.sendPrivate(bob, alice, "while you were away", "away-" + bob);
            // bob's own session receives what he sent: the gateway has seen the message that made them contacts.
            bobClient.awaitFrame("private_message");

            try (WsTestClient aliceClient = connect(alice)) {
                awaitStatus(aliceClient, bob, true);
                bobClient.close();
                awaitStatus(aliceClient, bob, false);
            }
        }
    }

    /** Waits for a {@code user_online_status} about {@code user} saying {@code online}. */
    private static void awaitStatus(WsTestClient client, long user, boolean online) {
        client.awaitFrame(
                "user_online_status",
                data -> data.path("user_id").asLong() == user
                        && data.path("is_online").asBoolean() == online);
    }

    @Test
    void typingReachesTheOtherParticipantAndEndsWhenStoppedOrSent() {
        long alice = newUserId();
        long bob = newUserId();
        backends.provision(alice, bob);
        long conversation = backends.sendPrivate(bob, alice, "hi", "ty-" + bob)
                .path("conversation_id")
                .asLong();
        try (WsTestClient aliceClient = connect(alice);
                WsTestClient bobClient = connect(bob)) {
            aliceClient.send("typing", Map.of("receiver_id", bob));

            JsonNode typing = bobClient.awaitFrame("user_typing").data();
            assertThat(typing.path("conversation_id").asLong()).isEqualTo(conversation);
            assertThat(typing.path("user_id").asLong()).isEqualTo(alice);
            assertThat(typing.path("receiver_id").asLong()).isEqualTo(bob);
            assertThat(typing.path("is_typing").asBoolean()).isTrue();

            aliceClient.send("typing", Map.of("conversation_id", conversation, "is_typing", false));
            bobClient.awaitFrame("user_typing", data -> !data.path("is_typing").asBoolean());

            aliceClient.send("typing", Map.of("conversation_id", conversation));
            bobClient.awaitFrames("user_typing", data -> data.path("is_typing").asBoolean(), 2);
            aliceClient.send(
                    "send_private_message",
                    Map.of("receiver_id", bob, "content", "done typing", "client_msg_id", "ty-" + alice));
            bobClient.awaitFrames("user_typing", data -> !data.path("is_typing").asBoolean(), 2);
            assertThat(aliceClient.frames("user_typing")).isEmpty();
        }
    }

    @Test
    void typingIntoAConversationOfOthersIsRefused() {
        long alice = newUserId();
        long bob = newUserId();
        long carol = newUserId();
        backends.provision(alice, bob, carol);
        long theirs = backends.sendPrivate(bob, carol, "private", "tz-" + bob)
                .path("conversation_id")
                .asLong();
        try (WsTestClient aliceClient = connect(alice);
                WsTestClient bobClient = connect(bob)) {
            aliceClient.send("typing", Map.of("conversation_id", theirs));

            WsTestClient.Frame error = aliceClient.awaitFrame("error");
            assertThat(error.data().path("code").asString()).isEqualTo("unknown_conversation");
            assertThat(error.data().path("event").asString()).isEqualTo("typing");
            bobClient.send("ping", Map.of());
            bobClient.awaitFrame("pong");
            assertThat(bobClient.frames("user_typing")).isEmpty();
        }
    }

    @Test
    void theSeedsBroadcastToEveryoneCanBeSwitchedOn() {
        long alice = newUserId();
        long stranger = newUserId();
        try (SecondGateway seedLike =
                        new SecondGateway("everyone-gateway", Map.of("chat.gateway.presence.fan-out", "everyone"));
                WsTestClient strangerClient =
                        WsTestClient.connect(seedLike.wsUri("token=" + TestTokens.forUser(stranger)))) {
            strangerClient.awaitFrame("connected");
            try (WsTestClient aliceClient = connect(alice)) {
                JsonNode online = strangerClient
                        .awaitFrame(
                                "user_online_status",
                                data -> data.path("user_id").asLong() == alice)
                        .data();
                assertThat(online.path("is_online").asBoolean()).isTrue();
            }
        }
    }
}
