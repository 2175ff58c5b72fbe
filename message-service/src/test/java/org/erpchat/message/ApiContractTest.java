package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.erpchat.testsupport.OpenApiContract.expectProblem;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.erpchat.testsupport.OpenApiContract;
import org.erpchat.testsupport.OpenApiContract.Answer;
import org.erpchat.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The served OpenAPI document is a contract a client generator can trust: every documented operation is called with
 * valid and with invalid input over real HTTP, and every answer (status, content type, body) must be one the document
 * lists for the operation, its body matching the schema given for it (required and nullable members, enums, formats).
 * The request bodies sent as valid must match the document's request schemas, and those sent as invalid in a way a
 * schema can say (a missing member, a value outside an enum) must be refused by the schemas as by the service. After
 * all, every operation must have been seen answering a success and a client error.
 */
class ApiContractTest extends MessageServiceTest {

    private static OpenApiContract contract;

    @Autowired
    private DataSource dataSource;

    @BeforeEach
    void readTheDocument() {
        if (contract == null) {
            contract = OpenApiContract.servedOn(port);
        }
    }

    @AfterAll
    static void everyOperationWasCalledWithValidAndInvalidInput() {
        assertThat(contract).isNotNull();
        for (String operation : contract.operations()) {
            Set<Integer> statuses = contract.answered().get(operation);
            assertThat(statuses).as(operation + " was called").isNotNull();
            assertThat(statuses).as(operation + " answered a success").anyMatch(status -> status < 300);
            assertThat(statuses)
                    .as(operation + " answered a client error")
                    .anyMatch(status -> status >= 400 && status < 500);
        }
    }

    @Test
    void everySuccessMemberIsRequiredSoThatClientsMayRelyOnIt() {
        assertThat(contract.optionalSuccessMembers())
                .as("members of success answers not marked required (an answer holds every member it documents;"
                        + " alternatives are oneOf)")
                .isEmpty();
    }

    @Test
    void users() {
        long alice = knownUser();
        long nameless = newUserId();
        String namelessToken = TestTokens.withClaims(
                Map.of("sub", Long.toString(nameless)), Instant.now().plus(Duration.ofHours(1)));
        call("GET", "/api/users/me", "/api/users/me", namelessToken, null);
        call("GET", "/api/users/me", "/api/users/me", TestTokens.forUser(alice), null);
        Answer users =
                call("GET", "/api/users", "/api/users?ids=" + alice + "," + nameless, TestTokens.forUser(alice), null);
        assertThat(users.status()).isEqualTo(200);
        assertThat(users.json().findValues("display_name")).anyMatch(JsonNode::isNull);

        expectProblem(401, call("GET", "/api/users/me", "/api/users/me", null, null));
        expectProblem(401, call("GET", "/api/users/me", "/api/users/me", "not-a-token", null));
        expectProblem(
                406,
                send("GET", "/api/users/me", "/api/users/me", TestTokens.forUser(alice), null, "text/plain", null));
        expectProblem(400, call("GET", "/api/users", "/api/users?ids=x", TestTokens.forUser(alice), null));
        expectProblem(400, call("GET", "/api/users", "/api/users?ids=0", TestTokens.forUser(alice), null));

        String admin = TestTokens.withClaims(
                Map.of("sub", Long.toString(newUserId()), "scope", "chat.admin"),
                Instant.now().plus(Duration.ofHours(1)));
        long provisioned = newUserId();
        String template = "/api/admin/users/{id}";
        String path = "/api/admin/users/" + provisioned;
        assertThat(valid("PUT", template, path, admin, Map.of("display_name", "Provisioned"))
                        .status())
                .isEqualTo(200);
        expectProblem(403, call("PUT", template, path, TestTokens.forUser(alice), Map.of("display_name", "X")));
        expectProblem(400, call("PUT", template, path, admin, Map.of("display_name", "   ")));
        expectProblem(400, invalid("PUT", template, path, admin, Map.of()));
        expectProblem(400, call("PUT", template, "/api/admin/users/0", admin, Map.of("display_name", "X")));
        expectProblem(415, send("PUT", template, path, admin, "text/plain", null, "{\"display_name\":\"X\"}"));
        String huge = "{\"display_name\":\"" + "x".repeat(1_100_000) + "\"}";
        expectProblem(413, send("PUT", template, path, admin, "application/json", null, huge));
    }

    @Test
    void messagesAndHistory() {
        long alice = knownUser();
        long bob = knownUser();
        String token = TestTokens.forUser(alice);
        String priv = "/api/messages/private";
        Answer sent =
                valid("POST", priv, priv, token, body("receiver_id", bob, "content", "hi", "client_msg_id", "c-1"));
        assertThat(sent.status()).isEqualTo(201);
        assertThat(valid("POST", priv, priv, token, body("receiver_id", bob, "content", "hi", "client_msg_id", "c-1"))
                        .status())
                .isEqualTo(200);
        assertThat(valid(
                                "POST",
                                priv,
                                priv,
                                token,
                                body("receiver_id", bob, "type", "file", "file_id", "f-1", "content", null))
                        .status())
                .isEqualTo(201);
        expectProblem(400, invalid("POST", priv, priv, token, body("content", "no receiver")));
        expectProblem(
                400, invalid("POST", priv, priv, token, body("receiver_id", bob, "content", "x", "type", "video")));
        expectProblem(
                400,
                invalid(
                        "POST",
                        priv,
                        priv,
                        token,
                        body("receiver_id", bob, "content", "x", "client_msg_id", "with space")));
        expectProblem(400, call("POST", priv, priv, token, body("receiver_id", alice, "content", "me")));
        expectProblem(400, call("POST", priv, priv, token, body("receiver_id", bob, "content", 42)));
        expectProblem(422, call("POST", priv, priv, token, body("receiver_id", newUserId(), "content", "who")));
        expectProblem(400, send("POST", priv, priv, token, "application/json", null, "{not json"));
        expectProblem(415, send("POST", priv, priv, token, "text/plain", null, "hi"));

        long group = createGroup(alice, List.of(bob));
        String grp = "/api/messages/group";
        Answer groupMessage = valid("POST", grp, grp, token, body("group_id", group, "content", "to all"));
        assertThat(groupMessage.status()).isEqualTo(201);
        assertThat(groupMessage.json().get("receiver_id").isNull()).isTrue();
        expectProblem(
                404, call("POST", grp, grp, TestTokens.forUser(knownUser()), body("group_id", group, "content", "x")));
        expectProblem(400, invalid("POST", grp, grp, token, body("content", "no group")));

        long conversation = sent.json().get("conversation_id").asLong();
        String history = "/api/conversations/{id}/messages";
        call("GET", history, "/api/conversations/" + conversation + "/messages?limit=1", token, null);
        call("GET", history, "/api/conversations/" + group + "/messages", token, null);
        expectProblem(
                400, call("GET", history, "/api/conversations/" + conversation + "/messages?limit=0", token, null));
        expectProblem(
                400, call("GET", history, "/api/conversations/" + conversation + "/messages?before=x", token, null));
        expectProblem(
                404,
                call(
                        "GET",
                        history,
                        "/api/conversations/" + conversation + "/messages",
                        TestTokens.forUser(knownUser()),
                        null));
        expectProblem(400, call("GET", history, "/api/conversations/abc/messages", token, null));
    }

    /**
     * The limits answer as the document says: 429 with a problem body of the documented shape, for a sender past its
     * allowance (50 at once in the tests) and for a group creation past its bound (5 in the tests). (Its
     * {@code Retry-After} header: RateLimitTest and GroupCreationLimitTest.)
     */
    @Test
    void aSenderPastItsAllowanceAndAGroupCreationPastItsBoundAre429AsDocumented() {
        long sender = knownUser();
        long receiver = knownUser();
        String token = TestTokens.forUser(sender);
        String priv = "/api/messages/private";
        for (int i = 0; i < 50; i++) {
            assertThat(valid("POST", priv, priv, token, body("receiver_id", receiver, "content", "m" + i))
                            .status())
                    .isEqualTo(201);
        }
        Answer limited = call("POST", priv, priv, token, body("receiver_id", receiver, "content", "one more"));
        expectProblem(429, limited);
        assertThat(limited.json().get("code").asString()).isEqualTo("rate_limited");

        long owner = knownUser();
        String ownerToken = TestTokens.forUser(owner);
        for (int i = 0; i < 5; i++) {
            assertThat(valid("POST", "/api/groups", "/api/groups", ownerToken, body("name", "g" + i))
                            .status())
                    .isEqualTo(201);
        }
        Answer tooMany = call("POST", "/api/groups", "/api/groups", ownerToken, body("name", "one more"));
        expectProblem(429, tooMany);
        assertThat(tooMany.json().get("code").asString()).isEqualTo("rate_limited");
    }

    /**
     * A send whose conversation stays locked past {@code send.lock-timeout} (here by a transaction of the test's own)
     * is 503 with the documented problem, code {@code unavailable}, and stores nothing: the client retries it.
     */
    @Test
    void aSendWhoseConversationStaysLockedIs503AsDocumented() throws Exception {
        long sender = knownUser();
        long receiver = knownUser();
        String token = TestTokens.forUser(sender);
        String priv = "/api/messages/private";
        assertThat(valid("POST", priv, priv, token, body("receiver_id", receiver, "content", "first"))
                        .status())
                .isEqualTo(201);
        long conversation = privateConversationId(sender, receiver);
        try (Connection holder = dataSource.getConnection();
                PreparedStatement lock =
                        holder.prepareStatement("SELECT 1 FROM conversations WHERE id = ? FOR UPDATE")) {
            holder.setAutoCommit(false);
            lock.setLong(1, conversation);
            lock.executeQuery().close();

            Answer locked = call("POST", priv, priv, token, body("receiver_id", receiver, "content", "locked out"));
            expectProblem(503, locked);
            assertThat(locked.json().get("code").asString()).isEqualTo("unavailable");
            holder.rollback();
        }
        assertThat(lastSeq(conversation)).isEqualTo(1);
    }

    @Test
    void groups() {
        long owner = knownUser();
        long admin = knownUser();
        long member = knownUser();
        long outsider = knownUser();
        String token = TestTokens.forUser(owner);
        Answer created = valid(
                "POST",
                "/api/groups",
                "/api/groups",
                token,
                body("name", "Team", "member_ids", List.of(admin, member)));
        assertThat(created.status()).isEqualTo(201);
        long group = created.json().get("id").asLong();
        expectProblem(
                422,
                call(
                        "POST",
                        "/api/groups",
                        "/api/groups",
                        token,
                        body("name", "T", "member_ids", List.of(newUserId()))));
        expectProblem(400, invalid("POST", "/api/groups", "/api/groups", token, body("member_ids", List.of(admin))));
        expectProblem(400, call("POST", "/api/groups", "/api/groups", token, body("name", " ")));

        call("GET", "/api/groups", "/api/groups?limit=1", token, null);
        expectProblem(400, call("GET", "/api/groups", "/api/groups?limit=0", token, null));
        expectProblem(400, call("GET", "/api/groups", "/api/groups?cursor=nonsense", token, null));

        String one = "/api/groups/{id}";
        call("GET", one, "/api/groups/" + group, token, null);
        expectProblem(404, call("GET", one, "/api/groups/" + group, TestTokens.forUser(outsider), null));
        expectProblem(400, call("GET", one, "/api/groups/0", token, null));

        String members = "/api/groups/{id}/members";
        String membersPath = "/api/groups/" + group + "/members";
        long added = knownUser();
        assertThat(valid("POST", members, membersPath, token, body("user_ids", List.of(added)))
                        .status())
                .isEqualTo(200);
        expectProblem(
                403,
                call("POST", members, membersPath, TestTokens.forUser(member), body("user_ids", List.of(outsider))));
        expectProblem(422, call("POST", members, membersPath, token, body("user_ids", List.of(newUserId()))));
        expectProblem(
                404,
                call("POST", members, membersPath, TestTokens.forUser(outsider), body("user_ids", List.of(outsider))));
        expectProblem(400, invalid("POST", members, membersPath, token, body()));

        String role = "/api/groups/{id}/members/{userId}/role";
        String adminRole = "/api/groups/" + group + "/members/" + admin + "/role";
        Answer changed = valid("PUT", role, adminRole, token, body("role", "admin"));
        assertThat(changed.status()).isEqualTo(200);
        expectProblem(400, invalid("PUT", role, adminRole, token, body("role", "owner")));
        expectProblem(400, invalid("PUT", role, adminRole, token, body()));
        expectProblem(403, call("PUT", role, adminRole, TestTokens.forUser(member), body("role", "member")));
        expectProblem(
                404,
                call(
                        "PUT",
                        role,
                        "/api/groups/" + group + "/members/" + outsider + "/role",
                        token,
                        body("role", "member")));

        String remove = "/api/groups/{id}/members/{userId}";
        expectProblem(
                403,
                call("DELETE", remove, "/api/groups/" + group + "/members/" + admin, TestTokens.forUser(member), null));
        expectProblem(404, call("DELETE", remove, "/api/groups/" + group + "/members/" + outsider, token, null));
        expectProblem(400, call("DELETE", remove, "/api/groups/" + group + "/members/-1", token, null));
        Answer removed = call("DELETE", remove, "/api/groups/" + group + "/members/" + added, token, null);
        assertThat(removed.status()).isEqualTo(204);
    }

    @Test
    void conversationsReadMarkersAndContacts() {
        long alice = knownUser();
        long bob = knownUser();
        String token = TestTokens.forUser(alice);
        long conversation = sendPrivate(alice, bob, "hello").longValue("conversation_id");
        long group = createGroup(alice, List.of(bob));

        call("GET", "/api/conversations", "/api/conversations", token, null);
        call("GET", "/api/conversations", "/api/conversations?limit=1", token, null);
        expectProblem(400, call("GET", "/api/conversations", "/api/conversations?limit=100000", token, null));
        expectProblem(
                400, call("GET", "/api/conversations", "/api/conversations?cursor=not-one-we-wrote", token, null));

        String one = "/api/conversations/{id}";
        call("GET", one, "/api/conversations/" + conversation, token, null);
        call("GET", one, "/api/conversations/" + group, token, null);
        expectProblem(
                404, call("GET", one, "/api/conversations/" + conversation, TestTokens.forUser(knownUser()), null));
        expectProblem(400, call("GET", one, "/api/conversations/x", token, null));

        String privateWith = "/api/conversations/private/{peerId}";
        call("GET", privateWith, "/api/conversations/private/" + bob, token, null);
        expectProblem(404, call("GET", privateWith, "/api/conversations/private/" + knownUser(), token, null));
        expectProblem(400, call("GET", privateWith, "/api/conversations/private/0", token, null));

        String read = "/api/conversations/{id}/read";
        String readPath = "/api/conversations/" + conversation + "/read";
        assertThat(valid("POST", read, readPath, TestTokens.forUser(bob), body("seq", 1))
                        .status())
                .isEqualTo(200);
        expectProblem(400, invalid("POST", read, readPath, token, body("seq", -1)));
        expectProblem(400, invalid("POST", read, readPath, token, body()));
        expectProblem(404, call("POST", read, readPath, TestTokens.forUser(knownUser()), body("seq", 1)));

        call("GET", "/api/contacts", "/api/contacts", token, null);
        call("GET", "/api/contacts", "/api/contacts?max_group_size=2", token, null);
        expectProblem(400, call("GET", "/api/contacts", "/api/contacts?max_group_size=0", token, null));

        String batch = "/api/contacts/batch";
        Answer contacts =
                valid("POST", batch, batch, token, body("tokens", List.of(token, "not-a-token"), "max_group_size", 10));
        assertThat(contacts.status()).isEqualTo(200);
        assertThat(contacts.json().get("results").get(1).get("error").asString())
                .isEqualTo("token_rejected");
        expectProblem(400, invalid("POST", batch, batch, token, body("tokens", List.of())));
        expectProblem(400, invalid("POST", batch, batch, token, body("tokens", List.of(token), "max_group_size", 0)));
    }

    @Test
    void syncTakesAsOfAsTheDocumentSays() {
        long alice = knownUser();
        long bob = knownUser();
        String token = TestTokens.forUser(alice);
        long conversation = sendPrivate(bob, alice, "one").longValue("conversation_id");
        createGroup(bob, List.of(alice));
        Instant now = Instant.now();
        BigDecimal seconds = BigDecimal.valueOf(now.getEpochSecond()).add(BigDecimal.valueOf(now.getNano(), 9));
        Map<String, Object> beyond = Map.of(Long.toString(conversation), 1_000L);

        String sync = "/api/sync";
        assertThat(valid("POST", sync, sync, token, body()).status()).isEqualTo(200);
        assertThat(valid("POST", sync, sync, token, body("positions", beyond, "limit", 10, "as_of", now.toString()))
                        .status())
                .isEqualTo(200);
        assertThat(valid("POST", sync, sync, token, body("positions", beyond, "as_of", "2026-12-07T11:00:00.250+01:00"))
                        .status())
                .isEqualTo(200);
        assertThat(valid("POST", sync, sync, token, body("positions", beyond, "as_of", seconds))
                        .status())
                .isEqualTo(200);
        assertThat(valid("POST", sync, sync, token, body("as_of", now.getEpochSecond()))
                        .status())
                .isEqualTo(200);
        assertThat(valid("POST", sync, sync, token, body("as_of", null, "positions", null, "limit", null))
                        .status())
                .isEqualTo(200);
        expectProblem(400, invalid("POST", sync, sync, token, body("as_of", "2026-12-07T10:00:00")));
        expectProblem(400, invalid("POST", sync, sync, token, body("as_of", "yesterday")));
        expectProblem(400, invalid("POST", sync, sync, token, body("as_of", 12)));
        expectProblem(400, call("POST", sync, sync, token, body("as_of", "1999-12-31T23:59:59Z")));
        expectProblem(400, invalid("POST", sync, sync, token, body("limit", 0)));
        expectProblem(400, call("POST", sync, sync, token, body("positions", Map.of("1", -1))));
        expectProblem(400, send("POST", sync, sync, token, "application/json", null, ""));

        String batch = "/api/sync/batch";
        Map<String, Object> good = body("token", token, "positions", beyond, "limit", 5, "as_of", seconds);
        Map<String, Object> badPositions = body("token", TestTokens.forUser(bob), "positions", Map.of("1", -1));
        Map<String, Object> rejected = body("token", "not-a-token");
        Answer answer = valid("POST", batch, batch, token, body("requests", List.of(good, badPositions, rejected)));
        assertThat(answer.status()).isEqualTo(200);
        JsonNode results = answer.json().get("results");
        assertThat(results.get(0).has("user_id")).isTrue();
        assertThat(results.get(1).get("error").asString()).isEqualTo("invalid_request");
        assertThat(results.get(2).get("error").asString()).isEqualTo("token_rejected");
        expectProblem(400, invalid("POST", batch, batch, token, body("requests", List.of())));
        expectProblem(400, invalid("POST", batch, batch, token, body()));
    }

    private Answer call(String method, String template, String path, String token, Object body) {
        return contract.callJson(port, method, template, path, token, body);
    }

    private Answer valid(String method, String template, String path, String token, Object body) {
        return contract.valid(port, method, template, path, token, body);
    }

    private Answer invalid(String method, String template, String path, String token, Object body) {
        return contract.invalid(port, method, template, path, token, body);
    }

    private static Map<String, Object> body(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private Answer send(String method, String path, String token, String contentType, String accept, String body) {
        return send(method, null, path, token, contentType, accept, body);
    }

    /** Over real HTTP; checked against the document when {@code template} names an operation. */
    private Answer send(
            String method, String template, String path, String token, String contentType, String accept, String body) {
        return contract.call(port, method, template, path, token, contentType, accept, body);
    }
}
