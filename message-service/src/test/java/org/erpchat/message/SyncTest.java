package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
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

    private static List<Long> seqsOf(List<JsonNode> messages, long conversationId) {
        return messages.stream()
                .filter(m -> m.get("conversation_id").asLong() == conversationId)
                .map(m -> m.get("seq").asLong())
                .toList();
    }
}
