package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.erpchat.events.MessageCreated;
import org.erpchat.events.MessageType;
import org.erpchat.events.SendOrigin;
import org.erpchat.events.Topics;
import org.erpchat.message.message.MessageView;
import org.erpchat.message.message.SendBatches;
import org.erpchat.message.message.SendRequest;
import org.erpchat.message.message.SendResult;
import org.erpchat.message.ratelimit.SendRateLimiter;
import org.erpchat.testsupport.KafkaEventCollector;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Sends stored together in one transaction ({@link SendBatches}): the same rows, numbers, events and read markers as
 * the same sends stored one by one, or nothing at all when any of them is for the single send path.
 */
class SendBatchesTest extends MessageServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Autowired
    private SendBatches batches;

    @Autowired
    private MeterRegistry meters;

    @Autowired
    private SendRateLimiter rateLimiter;

    @Test
    void aBatchGetsConsecutiveNumbersPerConversationInTheOrderGivenAndIsAnnouncedInThatOrder() {
        long alice = knownUser();
        long bob = knownUser();
        long carol = knownUser();
        long group = createGroup(alice, List.of(bob, carol));
        haveTalked(alice, bob);
        long pair = privateConversationId(alice, bob);
        long pairBefore = lastSeq(pair);
        long groupBefore = lastSeq(group);
        SendOrigin origin = null; // as REST sends: the meters below count them apart from the commands of other tests

        double[] batchesBefore = restBatches();
        List<SendResult> results;
        try (KafkaEventCollector events = KafkaEventCollector.fromNow(infrastructure, Topics.MESSAGE_EVENTS)) {
            results = batches.sendTogether(List.of(
                            privateSend(alice, bob, "p1", origin),
                            groupSend(alice, group, "g1", origin),
                            privateSend(bob, alice, "p2", origin),
                            groupSend(carol, group, "g2", origin),
                            privateSend(alice, bob, "p3", origin)))
                    .orElseThrow();

            assertThat(results).allMatch(SendResult::created);
            assertThat(restBatches()).containsExactly(batchesBefore[0] + 1, batchesBefore[1] + 5);
            assertThat(results)
                    .extracting(result -> result.message().clientMsgId())
                    .containsExactly("p1", "g1", "p2", "g2", "p3");
            assertThat(results)
                    .extracting(result -> result.message().seq())
                    .containsExactly(pairBefore + 1, groupBefore + 1, pairBefore + 2, groupBefore + 2, pairBefore + 3);
            assertThat(lastSeq(pair)).isEqualTo(pairBefore + 3);
            assertThat(lastSeq(group)).isEqualTo(groupBefore + 2);

            // Published in each conversation's order, each to everyone in its conversation. (Conversations are keys of
            // different partitions: only each one's order is kept.)
            List<MessageCreated> created = events.awaitEvents(
                    MessageCreated.class,
                    e -> List.of(alice, bob, carol).contains(e.senderId())
                            && e.clientMsgId().matches("[pg][123]"),
                    5,
                    WAIT);
            assertThat(created.stream().filter(e -> e.conversationId() == pair))
                    .extracting(MessageCreated::clientMsgId)
                    .containsExactly("p1", "p2", "p3");
            assertThat(created.stream().filter(e -> e.conversationId() == group))
                    .extracting(MessageCreated::clientMsgId)
                    .containsExactly("g1", "g2");
            List<String> given = List.of("p1", "g1", "p2", "g2", "p3");
            List<MessageCreated> inGivenOrder = created.stream()
                    .sorted(Comparator.comparing(e -> given.indexOf(e.clientMsgId())))
                    .toList();
            assertThat(inGivenOrder.get(1).recipientIds()).containsExactly(alice, bob, carol);
            assertThat(inGivenOrder.get(0).recipientIds()).containsExactlyInAnyOrder(alice, bob);
            assertThat(inGivenOrder)
                    .extracting(MessageCreated::messageId)
                    .containsExactlyElementsOf(results.stream()
                            .map(result -> result.message().id())
                            .toList());
        }

        // Stored as REST and sync read them, and each sender has read up to their own last message.
        assertThat(storedSeqs(pair, alice)).containsExactly(1L, pairBefore + 1, pairBefore + 3); // 1: "hello"
        assertThat(storedSeqs(group, carol)).containsExactly(groupBefore + 2);
        assertThat(readSeq(pair, alice)).isEqualTo(pairBefore + 3);
        assertThat(readSeq(pair, bob)).isEqualTo(pairBefore + 2);
        assertThat(readSeq(group, alice)).isEqualTo(groupBefore + 1);
        assertThat(readSeq(group, carol)).isEqualTo(groupBefore + 2);
        Api.Response history = api.as(bob).get("/api/conversations/" + pair + "/messages?limit=1");
        assertThat(history.status()).isEqualTo(200);
        assertThat(history.body().get("messages").get(0).get("id").asString())
                .isEqualTo(results.get(4).message().id());
        MessageView reply = results.get(2).message();
        assertThat(reply.senderId()).isEqualTo(bob);
        assertThat(reply.receiverId()).isEqualTo(alice);
    }

    @Test
    void aRepeatAmongThemStoresNoneOfThemAndTheSingleSendAnswersIt() {
        long alice = knownUser();
        long bob = knownUser();
        haveTalked(alice, bob);
        assertThat(sendPrivate(alice, bob, "original", "already-sent").status()).isEqualTo(201);
        long pair = privateConversationId(alice, bob);
        long before = lastSeq(pair);
        double splitBefore = splits();

        Optional<List<SendResult>> results = batches.sendTogether(List.of(
                privateSend(alice, bob, "new one", null),
                new SendRequest(alice, bob, null, MessageType.TEXT, "again", null, "already-sent", null, null)));

        assertThat(results).isEmpty();
        assertThat(splits()).isEqualTo(splitBefore + 1);
        assertThat(lastSeq(pair)).isEqualTo(before);
        assertThat(storedSeqs(pair, alice)).hasSize(2); // "hello" and the original
    }

    @Test
    void aSenderOutsideTheGroupStoresNoneOfThem() {
        long owner = knownUser();
        long stranger = knownUser();
        long group = createGroup(owner, List.of(knownUser()));
        long before = lastSeq(group);

        Optional<List<SendResult>> results = batches.sendTogether(
                List.of(groupSend(owner, group, "hello", null), groupSend(stranger, group, "let me in", null)));

        assertThat(results).isEmpty();
        assertThat(lastSeq(group)).isEqualTo(before);
        assertThat(storedSeqs(group, owner)).allMatch(seq -> seq <= before); // the group's own system messages
    }

    @Test
    void aFirstMessageToSomeoneNewOrAnInvalidOneIsLeftToTheSingleSendPath() {
        long alice = knownUser();
        long bob = knownUser();
        long stranger = knownUser();
        haveTalked(alice, bob);
        long pair = privateConversationId(alice, bob);
        long before = lastSeq(pair);

        assertThat(batches.sendTogether(
                        List.of(privateSend(alice, bob, "known", null), privateSend(alice, stranger, "new", null))))
                .isEmpty();
        assertThat(batches.sendTogether(List.of(
                        privateSend(alice, bob, "fine", null),
                        new SendRequest(alice, bob, null, MessageType.TEXT, "x".repeat(4001), null, "long", null))))
                .isEmpty();
        assertThat(lastSeq(pair)).isEqualTo(before);
    }

    @Test
    void sendsThatCannotJoinAreLeftOutAndTheOthersAreStillStoredTogether() {
        long alice = knownUser();
        long bob = knownUser();
        long flooder = knownUser();
        long carol = knownUser();
        haveTalked(alice, bob);
        haveTalked(flooder, carol);
        // The flooder sends past its limit: this instance now refuses it without asking Redis, until its bucket
        // refills.
        while (rateLimiter.tryAcquire(flooder, null).allowed()) {
            // taking the rest of its allowance
        }
        assertThat(rateLimiter.isRefusing(flooder, null)).isTrue();
        assertThat(rateLimiter.isRefusing(alice, null)).isFalse();
        long pair = privateConversationId(alice, bob);
        long flooders = privateConversationId(flooder, carol);
        long pairBefore = lastSeq(pair);
        long floodersBefore = lastSeq(flooders);
        double[] batchesBefore = restBatches();
        double splitsBefore = splits();

        List<Optional<SendResult>> results = batches.sendThoseThatCan(List.of(
                privateSend(alice, bob, "a1", null),
                privateSend(flooder, carol, "over the limit", null),
                privateSend(bob, alice, "b1", null),
                privateSend(alice, knownUser(), "first to someone new", null),
                new SendRequest(alice, bob, null, MessageType.TEXT, "x".repeat(4001), null, "too long", null)));

        assertThat(results).hasSize(5);
        assertThat(results.get(0))
                .hasValueSatisfying(result -> assertThat(result.message().seq()).isEqualTo(pairBefore + 1));
        assertThat(results.get(2))
                .hasValueSatisfying(result -> assertThat(result.message().seq()).isEqualTo(pairBefore + 2));
        assertThat(results.get(1)).isEmpty();
        assertThat(results.get(3)).isEmpty();
        assertThat(results.get(4)).isEmpty();
        assertThat(lastSeq(pair)).isEqualTo(pairBefore + 2);
        assertThat(lastSeq(flooders)).isEqualTo(floodersBefore);
        // One batch of the two that could join; no split.
        assertThat(restBatches()).containsExactly(batchesBefore[0] + 1, batchesBefore[1] + 2);
        assertThat(splits()).isEqualTo(splitsBefore);
    }

    @Test
    void fewerThanTwoThatCanJoinAreAllLeftToTheSingleSendPath() {
        long alice = knownUser();
        long bob = knownUser();
        haveTalked(alice, bob);
        long pair = privateConversationId(alice, bob);
        long before = lastSeq(pair);

        List<Optional<SendResult>> results = batches.sendThoseThatCan(List.of(
                privateSend(alice, bob, "alone", null), privateSend(alice, knownUser(), "first to someone new", null)));

        assertThat(results).containsExactly(Optional.empty(), Optional.empty());
        assertThat(lastSeq(pair)).isEqualTo(before);
    }

    /** REST batches stored so far, and the sends in them. */
    private double[] restBatches() {
        DistributionSummary sizes =
                meters.find("chat.messages.batch.size").tag("origin", "rest").summary();
        return sizes == null ? new double[] {0, 0} : new double[] {sizes.count(), sizes.totalAmount()};
    }

    private double splits() {
        Counter splits =
                meters.find("chat.messages.batch.split").tag("origin", "rest").counter();
        return splits == null ? 0 : splits.count();
    }

    /**
     * Two messages one by one: the pair's conversation is then known to exist (it is cached once read from a committed
     * row), as it is for any pair that has talked before.
     */
    private void haveTalked(long a, long b) {
        assertThat(sendPrivate(a, b, "hello").status()).isEqualTo(201);
        assertThat(sendPrivate(b, a, "hi").status()).isEqualTo(201);
    }

    private static SendRequest privateSend(long from, long to, String clientMsgId, SendOrigin origin) {
        return new SendRequest(
                from, to, null, MessageType.TEXT, "text of " + clientMsgId, null, clientMsgId, origin, Instant.now());
    }

    private static SendRequest groupSend(long from, long group, String clientMsgId, SendOrigin origin) {
        return new SendRequest(
                from,
                null,
                group,
                MessageType.TEXT,
                "text of " + clientMsgId,
                null,
                clientMsgId,
                origin,
                Instant.now());
    }

    private long readSeq(long conversation, long user) {
        return jdbc.sql("SELECT read_seq FROM conversation_members WHERE conversation_id = :c AND user_id = :u")
                .params(Map.of("c", conversation, "u", user))
                .query(Long.class)
                .single();
    }

    private List<Long> storedSeqs(long conversation, long sender) {
        return jdbc.sql("SELECT seq FROM messages WHERE conversation_id = :c AND sender_id = :s ORDER BY seq")
                .params(Map.of("c", conversation, "s", sender))
                .query(Long.class)
                .list();
    }
}
