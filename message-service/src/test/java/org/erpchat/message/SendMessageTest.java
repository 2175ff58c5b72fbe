package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;

import org.erpchat.events.ConversationKind;
import org.erpchat.events.MessageCreated;
import org.erpchat.events.MessageType;
import org.erpchat.events.Topics;
import org.erpchat.testsupport.KafkaEventCollector;
import org.junit.jupiter.api.Test;

class SendMessageTest extends MessageServiceTest {

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
                    .filter(r -> r.event() == event)
                    .findFirst()
                    .orElseThrow();
            assertThat(record.key()).isEqualTo(Long.toString(conversationId));
        }
    }
}
