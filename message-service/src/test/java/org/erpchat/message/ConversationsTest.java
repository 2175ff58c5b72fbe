package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.erpchat.events.ConversationKind;
import org.erpchat.events.ConversationRead;
import org.erpchat.events.Topics;
import org.erpchat.testsupport.KafkaEventCollector;
import org.erpchat.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The inbox (conversations with last message and unread count), read markers, contacts and users. */
class ConversationsTest extends MessageServiceTest {

    @Test
    void listsMyConversationsMostRecentFirstWithCursorPaging() {
        long me = knownUser();
        List<Long> peers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long peer = knownUser();
            peers.add(peer);
            sendPrivate(peer, me, "hi from " + peer);
        }
        long groupId = createGroup(peers.get(0), List.of(me, peers.get(1)));
        sendGroup(peers.get(1), groupId, "latest of all");

        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Api.Response page =
                    api.as(me).get("/api/conversations?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.body().get("conversations").valueStream().forEach(all::add);
            cursor = page.text("next_cursor");
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(all).hasSize(6);
        JsonNode group = all.get(0);
        assertThat(group.get("id").asLong()).isEqualTo(groupId);
        assertThat(group.get("type").asString()).isEqualTo("group");
        assertThat(group.get("group_id").asLong()).isEqualTo(groupId);
        assertThat(group.get("peer_id").isNull()).isTrue();
        assertThat(group.get("last_message").get("content").asString()).isEqualTo("latest of all");
        assertThat(group.get("member_ids").valueStream().map(JsonNode::asLong))
                .containsExactlyInAnyOrder(me, peers.get(0), peers.get(1));
        assertThat(group.get("unread_count").asLong()).isEqualTo(2);
        // The private ones follow, newest first.
        List<Long> peerOrder =
                all.subList(1, 6).stream().map(c -> c.get("peer_id").asLong()).toList();
        assertThat(peerOrder).containsExactly(peers.get(4), peers.get(3), peers.get(2), peers.get(1), peers.get(0));
        JsonNode oldest = all.get(5);
        assertThat(oldest.get("type").asString()).isEqualTo("private");
        assertThat(oldest.get("name").asString()).isEqualTo("User " + peers.get(0));
        assertThat(oldest.get("last_seq").asLong()).isEqualTo(1);
        assertThat(oldest.get("read_seq").asLong()).isZero();
        assertThat(oldest.get("unread_count").asLong()).isEqualTo(1);
    }

    @Test
    void readMarkerMovesOnlyForwardAndIsAnnounced() {
        long alice = knownUser();
        long bob = knownUser();
        long conversationId = 0;
        for (int i = 0; i < 4; i++) {
            conversationId = sendPrivate(alice, bob, "m" + i).longValue("conversation_id");
        }
        long id = conversationId;
        try (KafkaEventCollector events = KafkaEventCollector.fromNow(infrastructure, Topics.MESSAGE_EVENTS)) {
            Api.Response read = api.as(bob).post("/api/conversations/" + id + "/read", Api.body("seq", 3));
            assertThat(read.status()).as(read.toString()).isEqualTo(200);
            assertThat(read.longValue("conversation_id")).isEqualTo(id);
            assertThat(read.longValue("read_seq")).isEqualTo(3);
            assertThat(read.longValue("unread_count")).isEqualTo(1);
            assertThat(read.body().get("moved").asBoolean()).isTrue();

            Api.Response back = api.as(bob).post("/api/conversations/" + id + "/read", Api.body("seq", 1));
            assertThat(back.longValue("read_seq")).isEqualTo(3);
            assertThat(back.body().get("moved").asBoolean()).isFalse();
            Api.Response beyond = api.as(bob).post("/api/conversations/" + id + "/read", Api.body("seq", 99));
            assertThat(beyond.longValue("read_seq")).isEqualTo(4);
            assertThat(beyond.longValue("unread_count")).isZero();
            assertThat(beyond.body().get("moved").asBoolean()).isTrue();

            List<ConversationRead> reads = events.awaitEvents(ConversationRead.class, e -> e.conversationId() == id, 2);
            assertThat(reads).extracting(ConversationRead::readSeq).containsExactly(3L, 4L);
            assertThat(reads.get(0).userId()).isEqualTo(bob);
            assertThat(reads.get(0).conversationKind()).isEqualTo(ConversationKind.PRIVATE);
            assertThat(reads.get(0).notifyUserIds()).containsExactlyInAnyOrder(bob, alice);
        }
        // Sending moves the sender's own marker: its own messages are never unread.
        assertThat(api.as(alice).get("/api/conversations/" + id).longValue("unread_count"))
                .isZero();
    }

    @Test
    void oneConversationPrivateLookupAndContacts() {
        long me = knownUser();
        long peer = knownUser();
        long groupMate = knownUser();
        long conversationId = sendPrivate(me, peer, "hey").longValue("conversation_id");
        createGroup(groupMate, List.of(me));

        Api.Response one = api.as(peer).get("/api/conversations/" + conversationId);
        assertThat(one.longValue("peer_id")).isEqualTo(me);
        assertThat(one.body().get("member_ids").valueStream().map(JsonNode::asLong))
                .containsExactly(Math.min(me, peer), Math.max(me, peer));
        assertThat(api.as(me).get("/api/conversations/private/" + peer).longValue("id"))
                .isEqualTo(conversationId);
        assertThat(api.as(me).get("/api/conversations/private/" + groupMate).status())
                .isEqualTo(404);
        assertThat(api.as(me)
                        .get("/api/contacts")
                        .body()
                        .get("user_ids")
                        .valueStream()
                        .map(JsonNode::asLong))
                .containsExactlyInAnyOrder(peer, groupMate);
    }

    @Test
    void contactsCanLeaveOutTheMembersOfLargeGroups() {
        long me = knownUser();
        long peer = knownUser();
        long smallMate = knownUser();
        List<Long> crowd = List.of(knownUser(), knownUser(), knownUser(), knownUser());
        sendPrivate(me, peer, "hi");
        createGroup(smallMate, List.of(me));
        List<Long> large = new java.util.ArrayList<>(crowd);
        large.add(me);
        createGroup(crowd.get(0), large.subList(1, large.size()));

        assertThat(contactsOf(me, ""))
                .containsExactlyInAnyOrder(peer, smallMate, crowd.get(0), crowd.get(1), crowd.get(2), crowd.get(3));
        // Groups of at most 2 members count; the group of 5 does not; a private conversation always does.
        assertThat(contactsOf(me, "?max_group_size=2")).containsExactlyInAnyOrder(peer, smallMate);
        assertThat(api.as(me).get("/api/contacts?max_group_size=0").status()).isEqualTo(400);
    }

    @Test
    void contactsOfManyUsersComeInOneCallEachNamedByItsOwnToken() {
        long me = knownUser();
        long peer = knownUser();
        long lonely = knownUser();
        long smallMate = knownUser();
        List<Long> crowd = List.of(knownUser(), knownUser(), knownUser());
        sendPrivate(me, peer, "hi");
        createGroup(smallMate, List.of(me));
        createGroup(crowd.get(0), List.of(me, crowd.get(1), crowd.get(2)));

        Api.Response batch = api.as(peer)
                .post(
                        "/api/contacts/batch",
                        java.util.Map.of(
                                "tokens",
                                List.of(
                                        TestTokens.forUser(me),
                                        TestTokens.withWrongSignature(peer),
                                        TestTokens.forUser(lonely),
                                        TestTokens.expiringAt(
                                                peer, java.time.Instant.now().minusSeconds(60)),
                                        TestTokens.forUser(peer)),
                                "max_group_size",
                                2));

        assertThat(batch.status()).as(batch.toString()).isEqualTo(200);
        List<JsonNode> results = batch.body().get("results").valueStream().toList();
        assertThat(results).hasSize(5);
        // Groups of at most 2 members count, as with GET /api/contacts?max_group_size=2.
        assertThat(results.get(0).get("user_id").asLong()).isEqualTo(me);
        assertThat(results.get(0).get("user_ids").valueStream().map(JsonNode::asLong))
                .containsExactlyInAnyOrderElementsOf(contactsOf(me, "?max_group_size=2"))
                .containsExactlyInAnyOrder(peer, smallMate);
        assertThat(results.get(1).get("error").asString()).isEqualTo("token_rejected");
        // Exactly one of the two documented alternatives each: a client tells them apart by whether `error` is there.
        assertThat(results.get(0).propertyNames()).containsExactlyInAnyOrder("user_id", "user_ids");
        assertThat(results.get(1).propertyNames()).containsExactly("error");
        assertThat(results.get(2).get("user_id").asLong()).isEqualTo(lonely);
        assertThat(results.get(2).get("user_ids").size()).isZero();
        assertThat(results.get(3).get("error").asString()).isEqualTo("token_rejected");
        assertThat(results.get(4).get("user_ids").valueStream().map(JsonNode::asLong))
                .containsExactly(me);
    }

    @Test
    void aContactsBatchNeedsATokenOfItsOwnAndABoundedList() {
        long me = knownUser();
        java.util.Map<String, Object> one = java.util.Map.of("tokens", List.of(TestTokens.forUser(me)));
        assertThat(api.withToken(TestTokens.withWrongSignature(me))
                        .post("/api/contacts/batch", one)
                        .status())
                .isEqualTo(401);
        assertThat(api.as(me)
                        .post("/api/contacts/batch", java.util.Map.of("tokens", List.of()))
                        .status())
                .isEqualTo(400);
        List<String> tooMany = java.util.Collections.nCopies(1001, TestTokens.forUser(me));
        Api.Response refused = api.as(me).post("/api/contacts/batch", java.util.Map.of("tokens", tooMany));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text("code")).isEqualTo("invalid_request");
        assertThat(api.as(me)
                        .post(
                                "/api/contacts/batch",
                                java.util.Map.of("tokens", List.of(TestTokens.forUser(me)), "max_group_size", 0))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void aUserKnownOnlyFromAContactsBatchCanBeSentTo() {
        long newcomer = newUserId();
        long me = knownUser();
        assertThat(api.as(me)
                        .post("/api/contacts/batch", java.util.Map.of("tokens", List.of(TestTokens.forUser(newcomer))))
                        .status())
                .isEqualTo(200);
        assertThat(sendPrivate(me, newcomer, "welcome").longValue("seq")).isEqualTo(1);
    }

    private List<Long> contactsOf(long user, String query) {
        return api.as(user)
                .get("/api/contacts" + query)
                .body()
                .get("user_ids")
                .valueStream()
                .map(JsonNode::asLong)
                .toList();
    }

    @Test
    void usersAreRecordedFromTheirTokensAndCanBeLookedUp() {
        long named = newUserId();
        long other = knownUser();
        Api.Response me =
                api.withToken(TestTokens.forUser(named, "Nguyễn Văn A")).get("/api/users/me");
        assertThat(me.text("display_name")).isEqualTo("Nguyễn Văn A");
        // A new name in a later token replaces the old one.
        api.withToken(TestTokens.forUser(named, "Anh")).get("/api/contacts");

        Api.Response lookup = api.as(other).get("/api/users?ids=" + named + "," + other + "," + newUserId());
        assertThat(lookup.body()
                        .valueStream()
                        .map(u -> u.get("id").asLong() + "="
                                + u.get("display_name").asString()))
                .containsExactly(named + "=Anh", other + "=User " + other);
    }
}
