package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.erpchat.message.Problems.assertProblem;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.erpchat.events.ConversationKind;
import org.erpchat.events.MessageCreated;
import org.erpchat.events.MessageType;
import org.erpchat.events.Topics;
import org.erpchat.testsupport.KafkaEventCollector;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class SendMessageTest extends MessageServiceTest {

    @Autowired
    private MeterRegistry meters;

    @Test
    void restSendIsStoredAndObservedByARealKafkaConsumer() {
        long alice = knownUser();
        long bob = knownUser();
        try (KafkaEventCollector events = KafkaEventCollector.fromNow(infrastructure, Topics.MESSAGE_EVENTS)) {
            Api.Response sent = sendPrivate(alice, bob, "Hello!", "c-1");

            assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
            assertThat(sent.text("content")).isEqualTo("Hello!");
            assertThat(sent.longValue("sender_id")).isEqualTo(alice);
            assertThat(sent.longValue("receiver_id")).isEqualTo(bob);
            assertThat(sent.body().get("group_id").isNull()).isTrue();
            assertThat(sent.text("conversation_type")).isEqualTo("private");
            assertThat(sent.text("type")).isEqualTo("text");
            assertThat(sent.longValue("seq")).isEqualTo(1);
            assertThat(sent.text("client_msg_id")).isEqualTo("c-1");
            assertThat(sent.text("id")).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            long conversationId = sent.longValue("conversation_id");

            MessageCreated event = events.awaitEvent(MessageCreated.class, e -> e.conversationId() == conversationId);
            assertThat(event.messageId()).isEqualTo(sent.text("id"));
            assertThat(event.conversationKind()).isEqualTo(ConversationKind.PRIVATE);
            assertThat(event.seq()).isEqualTo(1);
            assertThat(event.senderId()).isEqualTo(alice);
            assertThat(event.recipientIds()).containsExactlyInAnyOrder(alice, bob);
            assertThat(event.type()).isEqualTo(MessageType.TEXT);
            assertThat(event.content()).isEqualTo("Hello!");
            assertThat(event.clientMsgId()).isEqualTo("c-1");
            assertThat(event.createdAt().toString()).isEqualTo(sent.text("created_at"));
            assertThat(event.origin()).isNull();
            KafkaEventCollector.Received record = events.records().stream()
                    .filter(r -> r.event() != null && r.event().equals(event))
                    .findFirst()
                    .orElseThrow();
            assertThat(record.key()).isEqualTo(Long.toString(conversationId));
        }
    }

    @Test
    void retriedSendReturnsTheOriginalAndStoresAndPublishesNothingNew() {
        long alice = knownUser();
        long bob = knownUser();
        try (KafkaEventCollector events = KafkaEventCollector.fromNow(infrastructure, Topics.MESSAGE_EVENTS)) {
            Api.Response first = sendPrivate(alice, bob, "once", "retry-1");
            Api.Response retry = sendPrivate(alice, bob, "once (retried)", "retry-1");

            assertThat(first.status()).isEqualTo(201);
            assertThat(retry.status()).as(retry.toString()).isEqualTo(200);
            assertThat(retry.text("id")).isEqualTo(first.text("id"));
            assertThat(retry.longValue("seq")).isEqualTo(first.longValue("seq"));
            assertThat(retry.text("content")).isEqualTo("once");
            long conversationId = first.longValue("conversation_id");
            assertThat(jdbc.sql("SELECT count(*) FROM messages WHERE sender_id = :s AND client_msg_id = 'retry-1'")
                            .param("s", alice)
                            .query(Long.class)
                            .single())
                    .isEqualTo(1);

            // Per-conversation order: once the next message's event is in, a duplicate would have been seen.
            Api.Response next = sendPrivate(alice, bob, "next", "retry-2");
            events.awaitEvent(
                    MessageCreated.class,
                    e -> e.conversationId() == conversationId && e.clientMsgId().equals("retry-2"));
            assertThat(events.events(MessageCreated.class, e -> e.conversationId() == conversationId))
                    .extracting(MessageCreated::seq)
                    .containsExactly(1L, 2L);
            assertThat(next.longValue("seq")).isEqualTo(2);
        }
    }

    @Test
    void aRepeatIsAnsweredWithTheOriginalAfterTheSenderLeftTheGroupOrWhateverTargetItNames() {
        long owner = knownUser();
        long bob = knownUser();
        long groupId = createGroup(owner, List.of(bob));
        Api.Response original = api.as(bob)
                .post(
                        "/api/messages/group",
                        Api.body("group_id", groupId, "content", "before I go", "client_msg_id", "leave-1"));
        assertThat(original.status()).isEqualTo(201);
        assertThat(api.as(bob)
                        .delete("/api/groups/" + groupId + "/members/" + bob)
                        .status())
                .isEqualTo(204);

        Api.Response sameGroup = api.as(bob)
                .post(
                        "/api/messages/group",
                        Api.body("group_id", groupId, "content", "before I go", "client_msg_id", "leave-1"));
        Api.Response unknownReceiver = sendPrivate(bob, newUserId(), "before I go", "leave-1");
        // Even a target the validation refuses outright (the sender itself) is answered with the original.
        Api.Response toItself = sendPrivate(bob, bob, "before I go", "leave-1");
        Api.Response newToItself = sendPrivate(bob, bob, "hello me", "leave-3");
        Api.Response newMessage = api.as(bob)
                .post(
                        "/api/messages/group",
                        Api.body("group_id", groupId, "content", "after I left", "client_msg_id", "leave-2"));

        assertThat(sameGroup.status()).as(sameGroup.toString()).isEqualTo(200);
        assertThat(sameGroup.text("id")).isEqualTo(original.text("id"));
        assertThat(unknownReceiver.status()).as(unknownReceiver.toString()).isEqualTo(200);
        assertThat(unknownReceiver.text("id")).isEqualTo(original.text("id"));
        assertThat(toItself.status()).as(toItself.toString()).isEqualTo(200);
        assertThat(toItself.text("id")).isEqualTo(original.text("id"));
        assertThat(newToItself.status()).as(newToItself.toString()).isEqualTo(400);
        assertThat(newToItself.text("code")).isEqualTo("self_message");
        assertThat(newMessage.status()).isEqualTo(404);
        // The refused repeats took no seq: the next message follows the removal's system message directly.
        assertThat(sendGroup(owner, groupId, "next").longValue("seq")).isEqualTo(original.longValue("seq") + 2);
    }

    @Test
    void aRepeatNamingATypeTheServiceDoesNotKnowIsAnsweredWithTheOriginalAndANewOneIsRefusedAndCounted() {
        long alice = knownUser();
        long bob = knownUser();
        long groupId = createGroup(alice, List.of(bob));
        Api.Response original = sendPrivate(alice, bob, "hello", "type-1");
        Api.Response originalInGroup = api.as(alice)
                .post(
                        "/api/messages/group",
                        Api.body("group_id", groupId, "content", "hi all", "client_msg_id", "type-2"));
        assertThat(original.status()).as(original.toString()).isEqualTo(201);
        assertThat(originalInGroup.status()).as(originalInGroup.toString()).isEqualTo(201);

        // A client retrying with a type it has since learned of (or a bug in it) still gets the answer its first try
        // got.
        Api.Response repeat = api.as(alice)
                .post(
                        "/api/messages/private",
                        Api.body("receiver_id", bob, "content", "hello", "type", "video", "client_msg_id", "type-1"));
        Api.Response repeatInGroup = api.as(alice)
                .post(
                        "/api/messages/group",
                        Api.body(
                                "group_id", groupId, "content", "hi all", "type", "system", "client_msg_id", "type-2"));
        assertThat(repeat.status()).as(repeat.toString()).isEqualTo(200);
        assertThat(repeat.text("id")).isEqualTo(original.text("id"));
        assertThat(repeat.text("type")).isEqualTo("text");
        assertThat(repeatInGroup.status()).as(repeatInGroup.toString()).isEqualTo(200);
        assertThat(repeatInGroup.text("id")).isEqualTo(originalInGroup.text("id"));

        // A new send naming such a type is refused as before, and counted like every other refusal.
        double rejectedBefore = rejected("invalid_message");
        Api.Response refused = api.as(alice)
                .post(
                        "/api/messages/private",
                        Api.body("receiver_id", bob, "content", "hello", "type", "video", "client_msg_id", "type-3"));
        assertProblem(refused, 400, "invalid_message");
        assertThat(refused.text("detail")).isEqualTo("type must be text, file or image");
        assertThat(rejected("invalid_message")).isEqualTo(rejectedBefore + 1);
        assertThat(jdbc.sql("SELECT count(*) FROM messages WHERE sender_id = :s AND type <> 'system'")
                        .param("s", alice)
                        .query(Long.class)
                        .single())
                .isEqualTo(2);
    }

    @Test
    void concurrentRepeatsIntoDifferentConversationsStoreOneMessage() {
        long alice = knownUser();
        long bob = knownUser();
        long carol = knownUser();
        List<CompletableFuture<Api.Response>> sends = List.of(
                CompletableFuture.supplyAsync(() -> sendPrivate(alice, bob, "to bob", "race-1")),
                CompletableFuture.supplyAsync(() -> sendPrivate(alice, carol, "to carol", "race-1")),
                CompletableFuture.supplyAsync(() -> sendPrivate(alice, bob, "to bob", "race-1")));
        List<Api.Response> answers = sends.stream().map(CompletableFuture::join).toList();

        assertThat(answers)
                .extracting(Api.Response::status)
                .containsOnly(200, 201)
                .containsOnlyOnce(201);
        assertThat(answers)
                .extracting(a -> a.text("id"))
                .containsOnly(answers.get(0).text("id"));
        assertThat(jdbc.sql("SELECT count(*) FROM messages WHERE sender_id = :s")
                        .param("s", alice)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void restSendWithoutClientMsgIdGetsOneFromTheServer() {
        long alice = knownUser();
        long bob = knownUser();
        Api.Response first = sendPrivate(alice, bob, "a");
        Api.Response second = sendPrivate(alice, bob, "a");

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        assertThat(first.text("client_msg_id")).startsWith("srv-").isNotEqualTo(second.text("client_msg_id"));
        assertThat(second.longValue("seq")).isEqualTo(2);
    }

    @Test
    void aSendThatWaitsOutTheLockTimeoutIsUnavailableAndStoredWhenRetried() throws Exception {
        long alice = knownUser();
        long bob = knownUser();
        assertThat(sendPrivate(alice, bob, "before", "lock-0").status()).isEqualTo(201);
        long conversation = privateConversationId(alice, bob);

        // Another send's transaction holds the conversation beyond the lock timeout (test setting: 2 s).
        try (AutoCloseable busy = holdConversationLock(conversation)) {
            Api.Response timedOut = sendPrivate(alice, bob, "waited", "lock-1");
            assertThat(timedOut.status()).as(timedOut.toString()).isEqualTo(503);
            assertThat(timedOut.code()).isEqualTo("unavailable");
        }

        // Nothing was stored and no number used: the retry with the same id is the send.
        Api.Response retried = sendPrivate(alice, bob, "waited", "lock-1");
        assertThat(retried.status()).as(retried.toString()).isEqualTo(201);
        assertThat(retried.longValue("seq")).isEqualTo(2);
    }

    @Test
    void senderIsTheTokensUserWhateverTheBodySays() {
        long alice = knownUser();
        long bob = knownUser();
        long mallory = knownUser();

        Api.Response sent = api.as(mallory)
                .post(
                        "/api/messages/private",
                        Api.body("receiver_id", bob, "sender_id", alice, "content", "it's alice, honest"));

        assertThat(sent.status()).isEqualTo(201);
        assertThat(sent.longValue("sender_id")).isEqualTo(mallory);
        assertThat(jdbc.sql("SELECT count(*) FROM messages WHERE sender_id = :s")
                        .param("s", alice)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void fileMessageCarriesItsFileId() {
        long alice = knownUser();
        long bob = knownUser();
        Api.Response sent = api.as(alice)
                .post("/api/messages/private", Api.body("receiver_id", bob, "type", "image", "file_id", "erp-file-42"));

        assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
        assertThat(sent.text("type")).isEqualTo("image");
        assertThat(sent.text("file_id")).isEqualTo("erp-file-42");
        assertThat(sent.text("content")).isEmpty();
    }

    @Test
    void historyPagesBackwardAndForward() {
        long alice = knownUser();
        long bob = knownUser();
        long conversationId = 0;
        for (int i = 1; i <= 7; i++) {
            conversationId = sendPrivate(i % 2 == 0 ? bob : alice, i % 2 == 0 ? alice : bob, "m" + i)
                    .longValue("conversation_id");
        }
        String base = "/api/conversations/" + conversationId + "/messages";

        Api.Response latest = api.as(bob).get(base + "?limit=3");
        assertThat(seqs(latest)).containsExactly(5L, 6L, 7L);
        assertThat(latest.body().get("has_more").asBoolean()).isTrue();

        Api.Response older = api.as(bob).get(base + "?limit=3&before=5");
        assertThat(seqs(older)).containsExactly(2L, 3L, 4L);
        Api.Response oldest = api.as(bob).get(base + "?limit=3&before=2");
        assertThat(seqs(oldest)).containsExactly(1L);
        assertThat(oldest.body().get("has_more").asBoolean()).isFalse();

        Api.Response newer = api.as(alice).get(base + "?limit=4&after=2");
        assertThat(seqs(newer)).containsExactly(3L, 4L, 5L, 6L);
        assertThat(newer.body().get("has_more").asBoolean()).isTrue();
        assertThat(newer.body().get("messages").get(0).get("receiver_id").asLong())
                .isEqualTo(bob);
    }

    private double rejected(String reason) {
        Counter counter =
                meters.find("chat.messages.rejected").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    static List<Long> seqs(Api.Response page) {
        return page.body()
                .get("messages")
                .valueStream()
                .map(m -> m.get("seq").asLong())
                .toList();
    }

    static List<JsonNode> messages(Api.Response page) {
        return page.body().get("messages").valueStream().toList();
    }
}
