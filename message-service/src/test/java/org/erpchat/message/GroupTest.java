package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.LongStream;
import org.erpchat.events.GroupMembershipChanged;
import org.erpchat.events.GroupMembershipChanged.Change;
import org.erpchat.events.MessageCreated;
import org.erpchat.events.MessageType;
import org.erpchat.events.Topics;
import org.erpchat.testsupport.KafkaEventCollector;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Groups: membership changes are announced as GroupMembershipChanged plus a system message that takes a seq. */
class GroupTest extends MessageServiceTest {

    @Test
    void membershipChangesAreAnnouncedInOrderWithSystemMessages() {
        long owner = knownUser();
        long bob = knownUser();
        long carol = knownUser();
        try (KafkaEventCollector events = KafkaEventCollector.fromNow(infrastructure, Topics.MESSAGE_EVENTS)) {
            Api.Response created = api.as(owner)
                    .post("/api/groups", Api.body("name", "  Sales  ", "member_ids", List.of(bob, owner, bob)));
            assertThat(created.status()).isEqualTo(201);
            long groupId = created.longValue("id");
            assertThat(created.text("name")).isEqualTo("Sales");
            assertThat(created.longValue("owner_id")).isEqualTo(owner);
            assertThat(created.text("created_at")).isNotBlank();
            assertThat(roles(created.body())).containsExactly(owner + ":owner", bob + ":member");

            assertThat(sendGroup(bob, groupId, "hello team").status()).isEqualTo(201);
            Api.Response added =
                    api.as(owner).post("/api/groups/" + groupId + "/members", Api.body("user_ids", List.of(carol)));
            assertThat(roles(added.body())).containsExactly(owner + ":owner", bob + ":member", carol + ":member");
            assertThat(api.as(owner)
                            .put("/api/groups/" + groupId + "/members/" + carol + "/role", Api.body("role", "admin"))
                            .status())
                    .isEqualTo(200);
            assertThat(api.as(carol)
                            .delete("/api/groups/" + groupId + "/members/" + bob)
                            .status())
                    .isEqualTo(204);

            List<GroupMembershipChanged> changes =
                    events.awaitEvents(GroupMembershipChanged.class, e -> e.groupId() == groupId, 4);
            assertThat(changes)
                    .extracting(GroupMembershipChanged::change)
                    .containsExactly(Change.CREATED, Change.MEMBERS_ADDED, Change.ROLE_CHANGED, Change.MEMBERS_REMOVED);
            assertThat(changes.get(0).memberIds()).containsExactlyInAnyOrder(owner, bob);
            assertThat(changes.get(1).affectedUserIds()).containsExactly(carol);
            assertThat(changes.get(3).affectedUserIds()).containsExactly(bob);
            assertThat(changes.get(3).memberIds()).containsExactlyInAnyOrder(owner, carol);
            assertThat(changes.get(3).actorId()).isEqualTo(carol);

            List<MessageCreated> messages =
                    events.awaitEvents(MessageCreated.class, e -> e.conversationId() == groupId, 5);
            assertThat(messages).extracting(MessageCreated::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(messages)
                    .extracting(MessageCreated::type)
                    .containsExactly(
                            MessageType.SYSTEM,
                            MessageType.TEXT,
                            MessageType.SYSTEM,
                            MessageType.SYSTEM,
                            MessageType.SYSTEM);
            // The removed member still hears of the removal; later messages no longer reach them.
            assertThat(messages.get(4).recipientIds()).contains(bob);
            assertThat(messages.get(4).content()).contains("removed");
        }
    }

    @Test
    void aNoticeNamesTenUsersAndCountsTheOthers() {
        long owner = knownUser();
        List<Long> members = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            members.add(knownUser());
        }
        long late = knownUser();
        try (KafkaEventCollector events = KafkaEventCollector.fromNow(infrastructure, Topics.MESSAGE_EVENTS)) {
            Api.Response created =
                    api.as(owner).post("/api/groups", Api.body("name", "Everyone", "member_ids", members));
            assertThat(created.status()).isEqualTo(201);
            long groupId = created.longValue("id");
            assertThat(api.as(owner)
                            .post("/api/groups/" + groupId + "/members", Api.body("user_ids", List.of(late)))
                            .status())
                    .isEqualTo(200);

            List<MessageCreated> notices =
                    events.awaitEvents(MessageCreated.class, e -> e.conversationId() == groupId, 2);
            assertThat(notices.get(0).content())
                    .contains("created the group \"Everyone\" with ")
                    .endsWith(" and 2 others");
            assertThat(notices.get(0).content().split(", ")).hasSize(10);
            assertThat(notices.get(1).content()).contains(" added ").doesNotContain(" other");
        }
    }

    @Test
    void anAdditionOverTheGroupLimitIsRefusedWithoutWaitingForTheGroup() throws Exception {
        long owner = knownUser();
        long groupId = createGroup(owner, List.of(knownUser()));
        List<Long> tooMany = LongStream.rangeClosed(1, 1_001)
                .map(i -> 900_000_000L + i)
                .boxed()
                .toList();
        // Another change of the group is under way: the refusal does not wait for it (nor look up 1,001 ids).
        try (AutoCloseable busy = holdConversationLock(groupId)) {
            Api.Response refused =
                    api.as(owner).post("/api/groups/" + groupId + "/members", Api.body("user_ids", tooMany));
            assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
            assertThat(refused.code()).isEqualTo("invalid_request");
            assertThat(refused.text("detail")).isEqualTo("a group has at most 1000 members");
        }
    }

    @Test
    void aMembershipChangeThatWaitedTooLongForTheGroupIsUnavailableNotStalled() throws Exception {
        long owner = knownUser();
        long member = knownUser();
        long groupId = createGroup(owner, List.of(knownUser()));
        Api.Response refused;
        // Something holds the group's row for longer than chat.message.groups.lock-timeout.
        try (AutoCloseable busy = holdConversationLock(groupId)) {
            refused = api.as(owner).post("/api/groups/" + groupId + "/members", Api.body("user_ids", List.of(member)));
        }
        assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
        assertThat(refused.code()).isEqualTo("unavailable");
        // Retried once the group is free, the change is made.
        Api.Response retried =
                api.as(owner).post("/api/groups/" + groupId + "/members", Api.body("user_ids", List.of(member)));
        assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
    }

    @Test
    void anOutsidersChangeIsRefusedWithoutWaitingForTheConversationsLock() throws Exception {
        long owner = knownUser();
        long member = knownUser();
        long outsider = knownUser();
        long groupId = createGroup(owner, List.of(member));
        long privateId = sendPrivate(owner, member, "just us").longValue("conversation_id");
        String missing = "/api/groups/999999999/members";
        Api.Response noSuchGroup = api.as(outsider).delete(missing + "/" + member);
        assertThat(noSuchGroup.status()).as(noSuchGroup.toString()).isEqualTo(404);
        assertThat(noSuchGroup.code()).isEqualTo("not_found");

        // Another transaction (a member's send, say) holds the conversation's row for longer than
        // chat.message.groups.lock-timeout (5 s): a change that waited for the lock would answer 503 after it. One from
        // outside the group is refused without asking for the lock, so it can neither wait nor hold up the members.
        for (long conversation : List.of(groupId, privateId)) {
            String members = "/api/groups/" + conversation + "/members";
            try (AutoCloseable busy = holdConversationLock(conversation)) {
                assertSameProblem(api.as(outsider).delete(members + "/" + member), noSuchGroup);
                assertSameProblem(api.as(outsider).delete(members + "/" + outsider), noSuchGroup);
                assertSameProblem(
                        api.as(outsider).put(members + "/" + member + "/role", Api.body("role", "admin")), noSuchGroup);
                assertSameProblem(api.as(outsider).post(members, Api.body("user_ids", List.of(outsider))), noSuchGroup);
            }
        }
        // A private conversation is no group, for its own participants too.
        try (AutoCloseable busy = holdConversationLock(privateId)) {
            assertSameProblem(api.as(owner).delete("/api/groups/" + privateId + "/members/" + member), noSuchGroup);
        }
        assertThat(api.as(owner)
                        .get("/api/groups/" + groupId)
                        .body()
                        .get("members")
                        .size())
                .isEqualTo(2);
    }

    @Test
    void aRefusalForUnknownUsersNamesTenOfThemAndCountsTheRest() {
        long owner = knownUser();
        List<Long> strangers =
                LongStream.rangeClosed(1, 25).map(i -> 800_000_000L + i).boxed().toList();
        Api.Response refused =
                api.as(owner).post("/api/groups", Api.body("name", "Strangers", "member_ids", strangers));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        assertThat(refused.code()).isEqualTo("unknown_user");
        assertThat(refused.text("detail")).isEqualTo("unknown user ids: " + strangers.subList(0, 10) + " and 15 more");
    }

    @Test
    void listsMyGroupsAndHandsOwnershipOnWhenTheOwnerLeaves() {
        long owner = knownUser();
        long admin = knownUser();
        long member = knownUser();
        long first = createGroup(owner, List.of(admin, member));
        long second = createGroup(admin, List.of(owner));
        api.as(owner).put("/api/groups/" + first + "/members/" + admin + "/role", Api.body("role", "admin"));

        Api.Response mine = api.as(owner).get("/api/groups");
        assertThat(mine.body().get("groups").valueStream().map(g -> g.get("id").asLong()))
                .containsExactly(first, second);

        assertThat(api.as(owner)
                        .delete("/api/groups/" + first + "/members/" + owner)
                        .status())
                .isEqualTo(204);
        Api.Response group = api.as(member).get("/api/groups/" + first);
        assertThat(group.longValue("owner_id")).isEqualTo(admin);
        assertThat(roles(group.body())).containsExactlyInAnyOrder(admin + ":owner", member + ":member");
        assertThat(api.as(owner)
                        .get("/api/groups")
                        .body()
                        .get("groups")
                        .valueStream()
                        .map(g -> g.get("id").asLong()))
                .containsExactly(second);
    }

    /** The same status, code, title and detail: the caller learns nothing more than for a group that does not exist. */
    private static void assertSameProblem(Api.Response actual, Api.Response expected) {
        assertThat(actual.status()).as(actual.toString()).isEqualTo(expected.status());
        assertThat(actual.code()).isEqualTo(expected.code());
        assertThat(actual.text("title")).isEqualTo(expected.text("title"));
        assertThat(actual.text("detail")).isEqualTo(expected.text("detail"));
    }

    private static List<String> roles(JsonNode group) {
        return group.get("members")
                .valueStream()
                .map(m -> m.get("user_id").asLong() + ":" + m.get("role").asString())
                .toList();
    }
}
