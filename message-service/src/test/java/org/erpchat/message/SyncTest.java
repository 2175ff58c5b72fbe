package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.erpchat.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** POST /api/sync: pages through any gap, reveals never-seen conversations, ignores foreign ones. */
class SyncTest extends MessageServiceTest {

    @Test
    void pagesThroughAGapLongerThanOnePageAndRevealsNeverSeenConversations() {
        long me = knownUser();
        long friend = knownUser();
        long stranger = knownUser();
        long other = knownUser();
        long privateId = 0;
        for (int i = 1; i <= 25; i++) {
            privateId = sendPrivate(friend, me, "p" + i).longValue("conversation_id");
        }
        // A group the client has never seen: revealed from its start (seq 1 is the creation notice).
        long groupId = createGroup(friend, List.of(me));
        sendGroup(friend, groupId, "g2");
        sendGroup(me, groupId, "g3");
        // A conversation the caller is not in: never reported, even when asked about.
        long foreignId = sendPrivate(stranger, other, "not for you").longValue("conversation_id");

        Map<String, Long> positions = new HashMap<>(Map.of(
                Long.toString(privateId), 3L,
                Long.toString(foreignId), 0L));
        List<JsonNode> received = new ArrayList<>();
        int pages = 0;
        boolean hasMore = true;
        while (hasMore) {
            Api.Response page = api.as(me).post("/api/sync", Map.of("positions", positions, "limit", 10));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.body().get("messages").valueStream().forEach(received::add);
            positions = new HashMap<>();
            for (Map.Entry<String, JsonNode> entry :
                    page.body().get("positions").properties()) {
                positions.put(entry.getKey(), entry.getValue().asLong());
            }
            hasMore = page.body().get("has_more").asBoolean();
            pages++;
            assertThat(pages).isLessThan(10);
        }

        long privateConversation = privateId;
        List<Long> privateSeqs = seqsOf(received, privateConversation);
        assertThat(privateSeqs)
                .containsExactlyElementsOf(LongStream.rangeClosed(4, 25).boxed().toList());
        assertThat(seqsOf(received, groupId)).containsExactly(1L, 2L, 3L);
        assertThat(seqsOf(received, foreignId)).isEmpty();
        assertThat(received).hasSize(22 + 3);
        assertThat(pages).isEqualTo(3);
        // Ordered by conversation id, then seq.
        List<Long> order = received.stream()
                .map(m ->
                        m.get("conversation_id").asLong() * 1_000 + m.get("seq").asLong())
                .toList();
        assertThat(order).isSorted();
        assertThat(positions)
                .containsEntry(Long.toString(privateId), 25L)
                .containsEntry(Long.toString(groupId), 3L)
                .containsEntry(Long.toString(foreignId), 0L);

        // Nothing new: an empty page.
        Api.Response again = api.as(me).post("/api/sync", Map.of("positions", positions));
        assertThat(again.body().get("messages").size()).isZero();
        assertThat(again.body().get("has_more").asBoolean()).isFalse();
    }

    @Test
    void aPositionBeyondTheConversationsLastSeqComesBackAsThatSeqAlsoInABatch() {
        long me = knownUser();
        long friend = knownUser();
        long stranger = knownUser();
        long other = knownUser();
        long privateId = 0;
        for (int i = 1; i <= 3; i++) {
            privateId = sendPrivate(friend, me, "p" + i).longValue("conversation_id");
        }
        long foreignId = sendPrivate(stranger, other, "not for you").longValue("conversation_id");
        // State the client kept across a restore of the database: it claims more than there is.
        Map<String, Long> claimed = Map.of(Long.toString(privateId), 1_000_000L, Long.toString(foreignId), 1_000_000L);

        Api.Response page = api.as(me).post("/api/sync", Map.of("positions", claimed));
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(page.body().get("messages").size()).isZero();
        assertThat(position(page.body(), privateId)).isEqualTo(3L);
        assertThat(page.body().get("has_more").asBoolean()).isFalse();
        // Not the caller's: echoed unchanged, revealing nothing.
        assertThat(position(page.body(), foreignId)).isEqualTo(1_000_000L);

        Api.Response batch = api.as(me)
                .post(
                        "/api/sync/batch",
                        Map.of("requests", List.of(Map.of("token", TestTokens.forUser(me), "positions", claimed))));
        assertThat(batch.status()).as(batch.toString()).isEqualTo(200);
        assertThat(position(batch.body().get("results").get(0), privateId)).isEqualTo(3L);
    }

    @Test
    void asOfAnInstantAPositionBeyondTheEndComesBackAsTheSeqBeforeTheFirstStoredAfterIt() {
        long me = knownUser();
        long friend = knownUser();
        long privateId = sendPrivate(friend, me, "p1").longValue("conversation_id");
        sendPrivate(friend, me, "p2");
        Instant afterSecond = Instant.now();
        await().until(() -> Instant.now().toEpochMilli() > afterSecond.toEpochMilli());
        // When the client's session opened: what was stored after it is news to the client, whatever it claims.
        Instant opened = Instant.now();
        await().until(() -> Instant.now().toEpochMilli() > opened.toEpochMilli());
        sendPrivate(friend, me, "p3");
        Map<String, Object> claimed = Map.of(Long.toString(privateId), 1_000_000L);

        Api.Response page = api.as(me).post("/api/sync", Map.of("positions", claimed, "as_of", opened.toString()));
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(position(page.body(), privateId)).isEqualTo(2L);
        // Message 3 lies past the position answered: the next page brings it.
        assertThat(page.body().get("has_more").asBoolean()).isTrue();
        // The same instant as a number of seconds since 1970, with its fraction.
        BigDecimal openedSeconds =
                BigDecimal.valueOf(opened.getEpochSecond(), 0).add(BigDecimal.valueOf(opened.getNano(), 9));
        Api.Response numeric = api.as(me).post("/api/sync", Map.of("positions", claimed, "as_of", openedSeconds));
        assertThat(numeric.status()).as(numeric.toString()).isEqualTo(200);
        assertThat(position(numeric.body(), privateId)).isEqualTo(2L);

        Api.Response batch = api.as(me)
                .post(
                        "/api/sync/batch",
                        Map.of(
                                "requests",
                                List.of(Map.of(
                                        "token",
                                        TestTokens.forUser(me),
                                        "positions",
                                        claimed,
                                        "as_of",
                                        opened.toString()))));
        assertThat(position(batch.body().get("results").get(0), privateId)).isEqualTo(2L);

        // An instant no message can have been stored at is refused, alone or in a batch, where it costs the others
        // nothing.
        Api.Response ancient =
                api.as(me).post("/api/sync", Map.of("positions", claimed, "as_of", "1900-01-01T00:00:00Z"));
        assertThat(ancient.status()).as(ancient.toString()).isEqualTo(400);
        Api.Response mixed = api.as(me)
                .post(
                        "/api/sync/batch",
                        Map.of(
                                "requests",
                                List.of(
                                        Map.of(
                                                "token",
                                                TestTokens.forUser(me),
                                                "positions",
                                                claimed,
                                                "as_of",
                                                "2999-01-01T00:00:00Z"),
                                        Map.of("token", TestTokens.forUser(me), "positions", claimed))));
        assertThat(mixed.status()).as(mixed.toString()).isEqualTo(200);
        assertThat(mixed.body().get("results").get(0).get("error").asString()).isEqualTo("invalid_request");
        assertThat(position(mixed.body().get("results").get(1), privateId)).isEqualTo(3L);
    }

    @Test
    void aPositionBroughtBackBelowTheLastSeqSaysHasMoreSoTheDocumentedLoopGetsEveryMessagePastIt() {
        long me = knownUser();
        long friend = knownUser();
        long conversation = 0;
        for (int i = 1; i <= 60; i++) {
            // Both sides send, each within its rate limit's burst.
            Api.Response sent = i % 2 == 0 ? sendPrivate(me, friend, "m" + i) : sendPrivate(friend, me, "m" + i);
            assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
            conversation = sent.longValue("conversation_id");
        }
        // Every message was stored within the hour: all of it is news to a client whose session opened an hour ago,
        // whatever it claims.
        String asOf = Instant.now().minus(Duration.ofHours(1)).toString();
        Map<String, Long> claimed = Map.of(Long.toString(conversation), 100L);

        Api.Response batch = api.as(me)
                .post(
                        "/api/sync/batch",
                        Map.of(
                                "requests",
                                List.of(Map.of("token", TestTokens.forUser(me), "positions", claimed, "as_of", asOf))));
        JsonNode first = batch.body().get("results").get(0);
        assertThat(first.get("messages").size()).isZero();
        assertThat(position(first, conversation)).isZero();
        assertThat(first.get("has_more").asBoolean()).isTrue();

        // The loop as documented: send positions back while has_more is true.
        List<JsonNode> received = new ArrayList<>();
        Map<String, Object> positions = new HashMap<>(claimed);
        boolean hasMore = true;
        for (int pages = 0; hasMore; pages++) {
            assertThat(pages).isLessThan(5);
            Api.Response page = api.as(me).post("/api/sync", Map.of("positions", positions, "as_of", asOf));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.body().get("messages").valueStream().forEach(received::add);
            positions = new HashMap<>();
            for (Map.Entry<String, JsonNode> entry :
                    page.body().get("positions").properties()) {
                positions.put(entry.getKey(), entry.getValue().asLong());
            }
            hasMore = page.body().get("has_more").asBoolean();
        }
        assertThat(seqsOf(received, conversation))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 60).boxed().toList());
        assertThat(positions).containsEntry(Long.toString(conversation), 60L);
    }

    @Test
    void aPageStopsExactlyAtItsLimitEvenInsideOneConversation() {
        long me = knownUser();
        long friend = knownUser();
        for (int i = 1; i <= 5; i++) {
            sendPrivate(friend, me, "m" + i);
        }
        Api.Response first = api.as(me).post("/api/sync", Map.of("limit", 5));
        assertThat(first.body().get("messages").size()).isEqualTo(5);
        assertThat(first.body().get("has_more").asBoolean()).isFalse();
        Api.Response partial = api.as(me).post("/api/sync", Map.of("limit", 4));
        assertThat(partial.body().get("has_more").asBoolean()).isTrue();
    }

    @Test
    void aBatchAnswersEachUserWhatTheirOwnSyncWouldAndRejectsOnlyTheBadRequests() {
        long me = knownUser();
        long friend = knownUser();
        long other = knownUser();
        long privateId = 0;
        for (int i = 1; i <= 6; i++) {
            privateId = sendPrivate(friend, me, "p" + i).longValue("conversation_id");
        }
        long groupId = createGroup(friend, List.of(me, other));
        sendGroup(other, groupId, "g2");
        Map<String, Long> myPositions = Map.of(Long.toString(privateId), 2L);

        Api.Response batch = api.as(other)
                .post(
                        "/api/sync/batch",
                        Map.of(
                                "requests",
                                List.of(
                                        Map.of("token", TestTokens.forUser(me), "positions", myPositions),
                                        Map.of("token", TestTokens.withWrongSignature(friend)),
                                        Map.of("token", TestTokens.forUser(friend), "limit", 3),
                                        Map.of("token", TestTokens.forUser(other), "positions", Map.of("-4", 1)),
                                        Map.of("token", TestTokens.forUser(other), "limit", 0))));

        assertThat(batch.status()).as(batch.toString()).isEqualTo(200);
        List<JsonNode> results = batch.body().get("results").valueStream().toList();
        assertThat(results).hasSize(5);
        assertThat(results.get(0).get("user_id").asLong()).isEqualTo(me);
        assertSameAnswer(results.get(0), api.as(me).post("/api/sync", Map.of("positions", myPositions)));
        assertThat(seqsOf(results.get(0).get("messages").valueStream().toList(), privateId))
                .containsExactly(3L, 4L, 5L, 6L);
        assertThat(results.get(1).get("error").asString()).isEqualTo("token_rejected");
        // Exactly one of the two documented alternatives each: a client tells them apart by whether `error` is there.
        assertThat(results.get(0).propertyNames())
                .containsExactlyInAnyOrder("user_id", "messages", "positions", "has_more");
        assertThat(results.get(1).propertyNames()).containsExactlyInAnyOrder("error", "detail");
        assertThat(results.get(3).propertyNames()).containsExactlyInAnyOrder("error", "detail");
        assertThat(results.get(2).get("user_id").asLong()).isEqualTo(friend);
        assertThat(results.get(2).get("has_more").asBoolean()).isTrue();
        assertSameAnswer(results.get(2), api.as(friend).post("/api/sync", Map.of("limit", 3)));
        assertThat(results.get(3).get("error").asString()).isEqualTo("invalid_request");
        assertThat(results.get(3).get("detail").asString()).contains("positions");
        assertThat(results.get(4).get("error").asString()).isEqualTo("invalid_request");
        assertThat(results.get(4).get("detail").asString()).contains("limit");
    }

    @Test
    void aBatchAskingForMoreThanItsBudgetGetsEveryPageCutInProportionAndTheRestOnTheNextSync() {
        long me = knownUser();
        long friend = knownUser();
        for (int i = 1; i <= 45; i++) {
            sendPrivate(friend, me, "m" + i);
        }
        // One token 500 times at the largest limit: 500,000 messages asked for, 20,000 (the default budget) read, 40
        // per request.
        Map<String, Object> request = Map.of("token", TestTokens.forUser(me), "limit", 1000);
        Api.Response batch =
                api.as(me).post("/api/sync/batch", Map.of("requests", java.util.Collections.nCopies(500, request)));

        assertThat(batch.status()).as(batch.toString()).isEqualTo(200);
        List<JsonNode> results = batch.body().get("results").valueStream().toList();
        assertThat(results).hasSize(500).allSatisfy(result -> {
            assertThat(result.get("messages").size()).isEqualTo(40);
            assertThat(result.get("has_more").asBoolean()).isTrue();
        });
        // The page says where it stopped; the next sync from there brings the rest.
        Api.Response rest =
                api.as(me).post("/api/sync", Map.of("positions", results.get(0).get("positions")));
        assertThat(rest.body().get("messages").size()).isEqualTo(5);
        assertThat(rest.body().get("has_more").asBoolean()).isFalse();
    }

    @Test
    void aSyncBatchNeedsATokenOfItsOwnAndABoundedList() {
        long me = knownUser();
        Map<String, Object> one = Map.of("requests", List.of(Map.of("token", TestTokens.forUser(me))));
        assertThat(api.withToken(TestTokens.withWrongSignature(me))
                        .post("/api/sync/batch", one)
                        .status())
                .isEqualTo(401);
        assertThat(api.as(me)
                        .post("/api/sync/batch", Map.of("requests", List.of()))
                        .status())
                .isEqualTo(400);
        List<Map<String, String>> tooMany = java.util.Collections.nCopies(501, Map.of("token", TestTokens.forUser(me)));
        Api.Response refused = api.as(me).post("/api/sync/batch", Map.of("requests", tooMany));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text("code")).isEqualTo("invalid_request");
    }

    /** The position a sync answer (or one user's result in a batch) gives for a conversation. */
    private static long position(JsonNode answer, long conversationId) {
        return answer.get("positions").get(Long.toString(conversationId)).asLong();
    }

    private static void assertSameAnswer(JsonNode batched, Api.Response alone) {
        assertThat(alone.status()).as(alone.toString()).isEqualTo(200);
        assertThat(batched.get("messages")).isEqualTo(alone.body().get("messages"));
        assertThat(batched.get("positions")).isEqualTo(alone.body().get("positions"));
        assertThat(batched.get("has_more")).isEqualTo(alone.body().get("has_more"));
    }

    private static List<Long> seqsOf(List<JsonNode> messages, long conversationId) {
        return messages.stream()
                .filter(m -> m.get("conversation_id").asLong() == conversationId)
                .map(m -> m.get("seq").asLong())
                .toList();
    }
}
