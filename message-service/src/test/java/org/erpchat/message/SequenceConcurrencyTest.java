package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.erpchat.events.MessageCreated;
import org.erpchat.events.MessageType;
import org.erpchat.events.Topics;
import org.erpchat.testsupport.KafkaEventCollector;
import org.junit.jupiter.api.Test;

/** 20 senders x 50 sends into one conversation at once: sequence numbers stay gap-free and events stay in order. */
class SequenceConcurrencyTest extends MessageServiceTest {

    private static final int SENDERS = 20;
    private static final int SENDS_EACH = 50;

    @Test
    void sequenceNumbersAreGapFreeUnderConcurrentSends() throws Exception {
        long owner = knownUser();
        List<Long> members = new ArrayList<>();
        for (int i = 1; i < SENDERS; i++) {
            members.add(knownUser());
        }
        long groupId = createGroup(owner, members);
        List<Long> senders = new ArrayList<>(members);
        senders.add(owner);
        // The group's creation notice took seq 1; the 1000 sends take 2..1001.
        int total = SENDERS * SENDS_EACH;

        ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
        try (KafkaEventCollector events = KafkaEventCollector.fromNow(infrastructure, Topics.MESSAGE_EVENTS)) {
            ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (long sender : senders) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < SENDS_EACH; i++) {
                        statuses.add(api.as(sender)
                                .post(
                                        "/api/messages/group",
                                        Api.body(
                                                "group_id",
                                                groupId,
                                                "content",
                                                "m" + i,
                                                "client_msg_id",
                                                sender + "-" + i))
                                .status());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get();
            }
            pool.shutdown();

            assertThat(statuses).hasSize(total).containsOnly(201);
            List<Long> stored = jdbc.sql("SELECT seq FROM messages WHERE conversation_id = :id ORDER BY seq")
                    .param("id", groupId)
                    .query(Long.class)
                    .list();
            assertThat(stored)
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(1, total + 1).boxed().toList());
            assertThat(lastSeq(groupId)).isEqualTo(total + 1);

            List<MessageCreated> published = events.awaitEvents(
                    MessageCreated.class,
                    e -> e.conversationId() == groupId && e.type() != MessageType.SYSTEM,
                    total,
                    Duration.ofSeconds(60));
            assertThat(published).hasSize(total);
            // One partition per conversation: the consumer reads them in sequence order.
            assertThat(published)
                    .extracting(MessageCreated::seq)
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(2, total + 1).boxed().toList());
            assertThat(published.get(0).recipientIds()).hasSize(SENDERS);
        }
    }
}
