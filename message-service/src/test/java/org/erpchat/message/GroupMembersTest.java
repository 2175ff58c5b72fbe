package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.erpchat.events.MessageCreated;
import org.erpchat.events.MessageType;
import org.erpchat.events.Topics;
import org.erpchat.message.conversation.ConversationRef;
import org.erpchat.message.conversation.ConversationStore;
import org.erpchat.message.conversation.GroupMembers;
import org.erpchat.message.message.SendBatches;
import org.erpchat.message.message.SendRequest;
import org.erpchat.testsupport.KafkaEventCollector;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The send path keeps group member lists in memory ({@link GroupMembers}), tagged with the group's
 * {@code members_version}: every message must still reach exactly the members of the moment it was stored, however
 * the membership changed, including by SQL that never went through the service.
 */
class GroupMembersTest extends MessageServiceTest {

    @Autowired
    private GroupMembers groupMembers;

    @Autowired
    private ConversationStore conversations;

    @Autowired
    private SendBatches batches;

    @Test
    void everyGroupMessageReachesTheMembersOfItsMomentHoweverTheyChanged() {
        long owner = knownUser();
        long bob = knownUser();
        long carol = knownUser();
        long dave = knownUser();
        long group = createGroup(owner, List.of(bob));
        try (KafkaEventCollector events = KafkaEventCollector.fromNow(infrastructure, Topics.MESSAGE_EVENTS)) {
            assertThat(sendGroup(bob, group, "one").status()).isEqualTo(201);
            assertThat(recipientsOf(events, group, "one")).containsExactly(owner, bob);

            assertThat(api.as(owner)
                            .post("/api/groups/" + group + "/members", Api.body("user_ids", List.of(carol)))
                            .status())
                    .isEqualTo(200);
            assertThat(sendGroup(bob, group, "two").status()).isEqualTo(201);
            assertThat(recipientsOf(events, group, "two")).containsExactly(owner, bob, carol);

            // An ERP's provisioning script adds a member behind the service's back.
            jdbc.sql("""
                    INSERT INTO conversation_members (conversation_id, user_id, role, read_seq, joined_at)
                    VALUES (:group, :user, 'member', 0, now())
                    """).param("group", group).param("user", dave).update();
            assertThat(sendGroup(bob, group, "three").status()).isEqualTo(201);
            assertThat(recipientsOf(events, group, "three")).containsExactly(owner, bob, carol, dave);

            // ... and removes one; the next message, stored with others in one transaction, leaves them out.
            jdbc.sql("DELETE FROM conversation_members WHERE conversation_id = :group AND user_id = :user")
                    .param("group", group)
                    .param("user", carol)
                    .update();
            assertThat(batches.sendTogether(List.of(groupSend(bob, group, "four"), groupSend(dave, group, "five"))))
                    .isPresent();
            assertThat(recipientsOf(events, group, "four")).containsExactly(owner, bob, dave);
            assertThat(recipientsOf(events, group, "five")).containsExactly(owner, bob, dave);

            assertThat(api.as(owner)
                            .delete("/api/groups/" + group + "/members/" + dave)
                            .status())
                    .isEqualTo(204);
            assertThat(sendGroup(bob, group, "six").status()).isEqualTo(201);
            assertThat(recipientsOf(events, group, "six")).containsExactly(owner, bob);
        }
    }

    @Test
    void aMemberListIsUsedAgainOnlyAtTheVersionItWasReadAt() {
        long owner = knownUser();
        long bob = knownUser();
        long carol = knownUser();
        long group = createGroup(owner, List.of(bob));
        ConversationRef before = conversations.find(group).orElseThrow();
        assertThat(groupMembers.of(before)).containsExactly(owner, bob);

        jdbc.sql("""
                INSERT INTO conversation_members (conversation_id, user_id, role, read_seq, joined_at)
                VALUES (:group, :user, 'member', 0, now())
                """).param("group", group).param("user", carol).update();
        ConversationRef after = conversations.find(group).orElseThrow();

        assertThat(after.membersVersion()).isNotEqualTo(before.membersVersion());
        // The list read at the old version is what the cache holds for it (nothing was read again) ...
        assertThat(groupMembers.of(before)).containsExactly(owner, bob);
        // ... and the new version reads the members again.
        assertThat(groupMembers.of(after)).containsExactly(owner, bob, carol);
        assertThat(groupMembers.of(List.of(after))).containsEntry(group, List.of(owner, bob, carol));

        // Read markers move with every message; they are not membership and leave the version alone.
        jdbc.sql("UPDATE conversation_members SET read_seq = read_seq + 1 WHERE conversation_id = :group")
                .param("group", group)
                .update();
        assertThat(conversations.find(group).orElseThrow().membersVersion()).isEqualTo(after.membersVersion());
    }

    private static List<Long> recipientsOf(KafkaEventCollector events, long group, String content) {
        return events.awaitEvent(
                        MessageCreated.class,
                        e -> e.conversationId() == group && e.content().equals(content))
                .recipientIds();
    }

    private static SendRequest groupSend(long from, long group, String content) {
        return new SendRequest(
                from, null, group, MessageType.TEXT, content, null, "c-" + content + "-" + from, null, Instant.now());
    }
}
