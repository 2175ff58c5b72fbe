package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * REST sends arriving together, some stored together and some one by one: each request is answered with exactly the
 * message stored for it, repeats with the original, and every conversation's numbers stay gap-free.
 */
class RestSendsTest extends MessageServiceTest {

    private static final int SENDERS = 12;
    private static final int SENDS_EACH = 20;

    @Test
    void eachConcurrentSendIsAnsweredWithItsStoredMessageAndEachRepeatWithTheOriginal() throws Exception {
        List<Long> senders = new ArrayList<>();
        List<Long> peers = new ArrayList<>();
        for (int i = 0; i < SENDERS; i++) {
            senders.add(knownUser());
            peers.add(knownUser());
            // Most pairs have talked before: their sends can be stored together.
            assertThat(sendPrivate(senders.get(i), peers.get(i), "hello").status())
                    .isEqualTo(201);
            assertThat(sendPrivate(peers.get(i), senders.get(i), "hi").status()).isEqualTo(201);
        }
        long group = createGroup(senders.get(0), senders.subList(1, SENDERS));

        ExecutorService pool = Executors.newFixedThreadPool(SENDERS * 2);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Api.Response>>> done = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            long sender = senders.get(s);
            long peer = peers.get(s);
            for (int half = 0; half < 2; half++) {
                boolean toGroup = half == 1;
                done.add(pool.submit(() -> {
                    start.await();
                    List<Api.Response> answers = new ArrayList<>();
                    for (int i = 0; i < SENDS_EACH; i++) {
                        // Every fifth send is sent twice: a client retrying while the first is under way.
                        String clientMsgId = sender + (toGroup ? "-g-" : "-p-") + i;
                        for (int attempt = 0; attempt < (i % 5 == 0 ? 2 : 1); attempt++) {
                            answers.add(
                                    toGroup
                                            ? api.as(sender)
                                                    .post(
                                                            "/api/messages/group",
                                                            Api.body(
                                                                    "group_id",
                                                                    group,
                                                                    "content",
                                                                    "g" + i,
                                                                    "client_msg_id",
                                                                    clientMsgId))
                                            : sendPrivate(sender, peer, "p" + i, clientMsgId));
                        }
                    }
                    return answers;
                }));
            }
        }
        start.countDown();
        List<Api.Response> answers = new ArrayList<>();
        for (Future<List<Api.Response>> future : done) {
            answers.addAll(future.get());
        }
        pool.shutdown();

        int distinct = SENDERS * 2 * SENDS_EACH;
        assertThat(answers).hasSize(distinct + SENDERS * 2 * (SENDS_EACH / 5));
        assertThat(answers).extracting(Api.Response::status).containsOnly(201, 200);
        assertThat(answers.stream().filter(answer -> answer.status() == 201)).hasSize(distinct);
        // Each answer is the stored row of its client_msg_id, repeats included.
        Map<String, List<Api.Response>> byClientMsgId = answers.stream()
                .collect(Collectors.groupingBy(
                        answer -> answer.body().get("client_msg_id").asString()));
        assertThat(byClientMsgId).hasSize(distinct);
        Map<String, String> storedIds = jdbc
                .sql("SELECT client_msg_id, id::text FROM messages WHERE sender_id IN ("
                        + senders.stream().map(String::valueOf).collect(Collectors.joining(","))
                        + ") AND (client_msg_id LIKE '%-g-%' OR client_msg_id LIKE '%-p-%')")
                .query((rs, row) -> Map.entry(rs.getString(1), rs.getString(2)))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(storedIds).hasSize(distinct);
        byClientMsgId.forEach((clientMsgId, sameSend) -> assertThat(sameSend)
                .as(clientMsgId)
                .allSatisfy(answer ->
                        assertThat(answer.body().get("id").asString()).isEqualTo(storedIds.get(clientMsgId))));

        // No gap and no number twice, in the group and in every pair.
        assertThat(seqs(group)).containsExactlyElementsOf(range(1, lastSeq(group)));
        for (int s = 0; s < SENDERS; s++) {
            long pair = privateConversationId(senders.get(s), peers.get(s));
            // The two greetings, then the sender's distinct sends.
            assertThat(seqs(pair)).containsExactlyElementsOf(range(1, 2 + SENDS_EACH));
        }
    }

    private List<Long> seqs(long conversation) {
        return jdbc.sql("SELECT seq FROM messages WHERE conversation_id = :id ORDER BY seq")
                .param("id", conversation)
                .query(Long.class)
                .list();
    }

    private static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }
}
