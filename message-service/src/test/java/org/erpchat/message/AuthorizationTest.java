package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.erpchat.testsupport.TestTokens;
import org.junit.jupiter.api.Test;

/** Every authorization rule; whatever concerns a conversation the caller is not in looks exactly like a missing one. */
class AuthorizationTest extends MessageServiceTest {

    private static final long NO_SUCH_CONVERSATION = 999_999_999L;

    @Test
    void requestsWithoutAValidTokenAre401() {
        Api.Response anonymous = api.anonymous().get("/api/conversations");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.contentType()).startsWith("application/problem+json");
        assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");

        assertThat(api.withToken(TestTokens.withWrongSignature(newUserId()))
                        .get("/api/conversations")
                        .status())
                .isEqualTo(401);
        assertThat(api.withToken(
                                TestTokens.expiringAt(newUserId(), Instant.now().minusSeconds(600)))
                        .get("/api/conversations")
                        .status())
                .isEqualTo(401);
    }

    @Test
    void outsiderCannotReadSomeoneElsesConversationAndLearnsNothing() {
        long alice = knownUser();
        long bob = knownUser();
        long carol = knownUser();
        long conversationId = sendPrivate(alice, bob, "secret").longValue("conversation_id");

        for (String path : List.of("/api/conversations/%d", "/api/conversations/%d/messages")) {
            Api.Response existing = api.as(carol).get(path.formatted(conversationId));
            Api.Response missing = api.as(carol).get(path.formatted(NO_SUCH_CONVERSATION));
            assertThat(existing.status()).isEqualTo(404);
            assertSameProblem(existing, missing);
        }
        Api.Response markRead =
                api.as(carol).post("/api/conversations/" + conversationId + "/read", Api.body("seq", 1));
        assertThat(markRead.status()).isEqualTo(404);
        assertSameProblem(
                markRead,
                api.as(carol).post("/api/conversations/" + NO_SUCH_CONVERSATION + "/read", Api.body("seq", 1)));
        assertThat(api.as(carol).get("/api/conversations/private/" + alice).status())
                .isEqualTo(404);

        Api.Response sync =
                api.as(carol).post("/api/sync", Map.of("positions", Map.of(Long.toString(conversationId), 0)));
        assertThat(sync.status()).isEqualTo(200);
        assertThat(sync.body().get("messages").size()).isZero();
        assertThat(api.as(carol).get("/api/contacts").body().get("user_ids").size())
                .isZero();
    }

    @Test
    void onlyMembersPostToAGroupAndNobodyPostsIntoAPrivateConversationById() {
        long alice = knownUser();
        long bob = knownUser();
        long carol = knownUser();
        long groupId = createGroup(alice, List.of(bob));
        long privateId = sendPrivate(alice, bob, "hi").longValue("conversation_id");

        assertThat(sendGroup(bob, groupId, "member").status()).isEqualTo(201);
        Api.Response outsider = sendGroup(carol, groupId, "let me in");
        assertThat(outsider.status()).isEqualTo(404);
        assertThat(outsider.code()).isEqualTo("unknown_group");
        assertSameProblem(outsider, sendGroup(carol, NO_SUCH_CONVERSATION, "let me in"));
        // A private conversation's id is not a group, for outsiders and participants alike.
        assertSameProblem(outsider, sendGroup(carol, privateId, "sneaky"));
        assertSameProblem(outsider, sendGroup(alice, privateId, "wrong endpoint"));
        assertThat(jdbc.sql("SELECT count(*) FROM messages WHERE sender_id = :s")
                        .param("s", carol)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void onlyOwnerAndAdminsChangeMembershipAndOnlyTheOwnerChangesRoles() {
        long owner = knownUser();
        long admin = knownUser();
        long member = knownUser();
        long outsider = knownUser();
        long newcomer = knownUser();
        long groupId = createGroup(owner, List.of(admin, member));
        String members = "/api/groups/" + groupId + "/members";

        // Members cannot manage membership (403); outsiders cannot even see the group (404).
        assertThat(api.as(member)
                        .post(members, Api.body("user_ids", List.of(newcomer)))
                        .status())
                .isEqualTo(403);
        assertThat(api.as(outsider)
                        .post(members, Api.body("user_ids", List.of(newcomer)))
                        .status())
                .isEqualTo(404);
        assertThat(api.as(outsider).get("/api/groups/" + groupId).status()).isEqualTo(404);
        assertThat(api.as(outsider).delete(members + "/" + member).status()).isEqualTo(404);
        assertThat(api.as(member).delete(members + "/" + admin).status()).isEqualTo(403);
        assertThat(api.as(member)
                        .put(members + "/" + member + "/role", Api.body("role", "admin"))
                        .status())
                .isEqualTo(403);

        // Only the owner changes roles.
        assertThat(api.as(owner)
                        .put(members + "/" + admin + "/role", Api.body("role", "admin"))
                        .status())
                .isEqualTo(200);
        assertThat(api.as(admin)
                        .put(members + "/" + member + "/role", Api.body("role", "admin"))
                        .status())
                .isEqualTo(403);
        assertThat(api.as(outsider)
                        .put(members + "/" + member + "/role", Api.body("role", "admin"))
                        .status())
                .isEqualTo(404);

        // Admins add and remove members, but not the owner or other admins.
        Api.Response added = api.as(admin).post(members, Api.body("user_ids", List.of(newcomer)));
        assertThat(added.status()).as(added.toString()).isEqualTo(200);
        assertThat(added.body()
                        .get("members")
                        .valueStream()
                        .map(m -> m.get("user_id").asLong()))
                .contains(newcomer);
        assertThat(api.as(admin).delete(members + "/" + owner).status()).isEqualTo(403);
        assertThat(api.as(admin).delete(members + "/" + newcomer).status()).isEqualTo(204);

        // Anyone may leave.
        assertThat(api.as(member).delete(members + "/" + member).status()).isEqualTo(204);
        assertThat(api.as(member).get("/api/groups/" + groupId).status()).isEqualTo(404);
        assertThat(sendGroup(member, groupId, "still here?").status()).isEqualTo(404);
    }

    @Test
    void provisioningUsersNeedsTheAdminScope() {
        long caller = knownUser();
        long provisioned = newUserId();
        Api.Response denied = api.as(caller).put("/api/admin/users/" + provisioned, Api.body("display_name", "Nope"));
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.code()).isEqualTo("forbidden");

        String adminToken = TestTokens.withClaims(
                Map.of("sub", Long.toString(caller), "scope", "chat.admin"),
                Instant.now().plusSeconds(600));
        Api.Response provisionedAnswer =
                api.withToken(adminToken).put("/api/admin/users/" + provisioned, Api.body("display_name", "Dana"));
        assertThat(provisionedAnswer.status()).as(provisionedAnswer.toString()).isEqualTo(200);
        assertThat(provisionedAnswer.text("display_name")).isEqualTo("Dana");
        // A provisioned user can receive messages before ever calling the API.
        assertThat(sendPrivate(caller, provisioned, "welcome").status()).isEqualTo(201);
    }

    private static void assertSameProblem(Api.Response actual, Api.Response expected) {
        assertThat(actual.status()).isEqualTo(expected.status());
        assertThat(actual.code()).isEqualTo(expected.code());
        assertThat(actual.text("detail")).isEqualTo(expected.text("detail"));
        assertThat(actual.text("title")).isEqualTo(expected.text("title"));
    }
}
