package org.erpchat.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.erpchat.gateway.support.Backends;
import org.erpchat.gateway.support.GatewayTest;
import org.erpchat.gateway.support.WsTestClient;
import org.erpchat.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Who hears of whose status (docs/protocol.md, {@code user_online_status}): statuses are pushed within private
 * conversations and small groups (the test gateway's limit is 3 members), members of larger groups ask with
 * {@code presence_subscribe}, and clients that accept {@code presence_batch} get many changes in one frame.
 */
class PresenceScopeEndToEndTest extends GatewayTest {

    private final Backends backends = Backends.get();

    @Test
    void membersOfALargeGroupAreNotToldOfEachOtherButMembersOfASmallOneAre() {
        long watcher = newUserId();
        long smallMate = newUserId();
        long largeMate = newUserId();
        List<Long> crowd = List.of(newUserId(), newUserId());
        backends.provision(watcher, smallMate, largeMate, crowd.get(0), crowd.get(1));
        backends.createGroup(smallMate, "Small", watcher);
        backends.createGroup(largeMate, "Large", watcher, crowd.get(0), crowd.get(1));
        try (WsTestClient watcherClient = connect(watcher)) {
            WsTestClient small = connect(smallMate);
            WsTestClient large = connect(largeMate);

            watcherClient.awaitFrame(
                    "user_online_status", data -> data.path("user_id").asLong() == smallMate);
            // Once the small group's mate is announced, the large group's would have been too.
            small.close();
            watcherClient.awaitFrame(
                    "user_online_status",
                    data -> data.path("user_id").asLong() == smallMate
                            && !data.path("is_online").asBoolean());
            assertThat(watcherClient.frames("user_online_status"))
                    .noneMatch(frame -> frame.data().path("user_id").asLong() == largeMate);
            large.close();
        }
    }

    @Test
    void aSubscriptionGivesTheCurrentStatusOfEachListedUserThenItsChanges() {
        long watcher = newUserId();
        long online = newUserId();
        long neverSeen = newUserId();
        backends.provision(watcher, online, neverSeen);
        try (WsTestClient onlineClient = connect(online);
                WsTestClient watcherClient = connect(watcher)) {
            watcherClient.send("presence_subscribe", Map.of("user_ids", List.of(online, neverSeen)));

            watcherClient.awaitFrame(
                    "user_online_status",
                    data -> data.path("user_id").asLong() == online
                            && data.path("is_online").asBoolean());
            JsonNode other = watcherClient
                    .awaitFrame(
                            "user_online_status", data -> data.path("user_id").asLong() == neverSeen)
                    .data();
            assertThat(other.path("is_online").asBoolean()).isFalse();

            onlineClient.close();
            watcherClient.awaitFrame(
                    "user_online_status",
                    data -> data.path("user_id").asLong() == online
                            && !data.path("is_online").asBoolean());

            // An empty list ends the subscription: the next change is not pushed.
            watcherClient.send("presence_subscribe", Map.of("user_ids", List.of()));
            watcherClient.send("ping", Map.of());
            watcherClient.awaitFrame("pong");
            int before = watcherClient.frames("user_online_status").size();
            try (WsTestClient again = connect(online);
                    WsTestClient probe = connect(watcher)) {
                probe.send("presence_subscribe", Map.of("user_ids", List.of(online)));
                probe.awaitFrame(
                        "user_online_status",
                        data -> data.path("user_id").asLong() == online
                                && data.path("is_online").asBoolean());
                assertThat(watcherClient.frames("user_online_status")).hasSize(before);
            }
        }
    }

    @Test
    void contactsComingOnlineTogetherReachABatchingClientInFarFewerFramesThanStatuses() {
        long watcher = newUserId();
        List<Long> contacts =
                LongStream.range(0, 12).map(i -> newUserId()).boxed().toList();
        backends.provision(watcher);
        backends.provision(contacts.stream().mapToLong(Long::longValue).toArray());
        for (Long contact : contacts) {
            backends.sendPrivate(contact, watcher, "hi", "pb-" + contact);
        }
        try (WsTestClient batching =
                        WsTestClient.connect(wsUri("token=" + TestTokens.forUser(watcher) + "&presence_batch=true"));
                WsTestClient seed = connect(watcher)) {
            assertThat(batching.awaitFrame("connected")
                            .data()
                            .path("presence_batch")
                            .asBoolean())
                    .isTrue();
            List<CompletableFuture<WsTestClient>> connecting = new ArrayList<>();
            for (Long contact : contacts) {
                connecting.add(CompletableFuture.supplyAsync(() -> connect(contact)));
            }
            List<WsTestClient> online =
                    connecting.stream().map(CompletableFuture::join).toList();
            try {
                Set<Long> told = new HashSet<>();
                await().atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> assertThat(statusesIn(batching, told))
                                .as("statuses told to the batching client; its frames: %s", batching.frames())
                                .containsAll(contacts));
                assertThat(batching.frames("user_online_status")).isEmpty();
                assertThat(batching.frames("presence_batch")).hasSizeLessThan(contacts.size());
                // The seed's client gets the same news one user at a time, each user once per change.
                seed.awaitFrames(
                        "user_online_status",
                        data -> contacts.contains(data.path("user_id").asLong()),
                        contacts.size());
                assertThat(seed.frames("presence_batch")).isEmpty();
            } finally {
                online.forEach(WsTestClient::close);
            }
        }
    }

    private static Set<Long> statusesIn(WsTestClient client, Set<Long> told) {
        client.frames("presence_batch")
                .forEach(frame -> frame.data()
                        .path("statuses")
                        .forEach(status -> told.add(status.path("user_id").asLong())));
        return told;
    }

    @Test
    void aSubscriptionToTooManyUsersIsRefused() {
        try (WsTestClient client = connect(newUserId())) {
            List<Long> tooMany = LongStream.rangeClosed(1, 501).boxed().toList();

            client.send("presence_subscribe", Map.of("user_ids", tooMany));

            JsonNode error = client.awaitFrame("error").data();
            assertThat(error.path("code").asString()).isEqualTo("invalid_payload");
            assertThat(error.path("event").asString()).isEqualTo("presence_subscribe");
        }
    }
}
