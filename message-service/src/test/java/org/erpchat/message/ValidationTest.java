package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Refused requests: RFC 9457 problem details with the reject codes; never a 500. */
class ValidationTest extends MessageServiceTest {

    @Test
    void invalidMessages() {
        long alice = knownUser();
        long bob = knownUser();
        assertProblem(
                api.as(alice).post("/api/messages/private", Api.body("content", "to nobody")), 400, "invalid_message");
        assertProblem(
                api.as(alice).post("/api/messages/private", Api.body("receiver_id", bob, "content", "  ")),
                400,
                "invalid_message");
        assertProblem(
                api.as(alice)
                        .post("/api/messages/private", Api.body("receiver_id", bob, "content", "x", "type", "system")),
                400,
                "invalid_message");
        assertProblem(
                api.as(alice)
                        .post("/api/messages/private", Api.body("receiver_id", bob, "content", "x", "type", "video")),
                400,
                "invalid_message");
        assertProblem(
                api.as(alice).post("/api/messages/private", Api.body("receiver_id", bob, "type", "file")),
                400,
                "invalid_message");
        assertProblem(
                api.as(alice)
                        .post(
                                "/api/messages/private",
                                Api.body("receiver_id", bob, "content", "x", "client_msg_id", "c".repeat(129))),
                400,
                "invalid_message");
        assertProblem(api.as(alice).post("/api/messages/group", Api.body("content", "x")), 400, "invalid_message");
    }

    @Test
    void contentLengthIsLimitedInCharacters() {
        long alice = knownUser();
        long bob = knownUser();
        assertThat(sendPrivate(alice, bob, "a".repeat(4000)).status()).isEqualTo(201);
        // 4000 emoji are 8000 UTF-16 chars but 4000 characters.
        assertThat(sendPrivate(alice, bob, "\uD83D\uDE00".repeat(4000)).status())
                .isEqualTo(201);
        assertProblem(sendPrivate(alice, bob, "a".repeat(4001)), 400, "content_too_long");
    }

    @Test
    void unknownReceiverUnknownGroupAndSelfMessage() {
        long alice = knownUser();
        assertProblem(sendPrivate(alice, newUserId(), "hello?"), 422, "unknown_receiver");
        assertProblem(sendGroup(alice, 987_654_321L, "hello?"), 404, "unknown_group");
        assertProblem(sendPrivate(alice, alice, "note to self"), 400, "self_message");
    }

    @Test
    void malformedRequestsAre400NotServerErrors() {
        long alice = knownUser();
        assertProblem(api.as(alice).postRaw("/api/messages/private", "{\"receiver_id\": "), 400, "invalid_request");
        assertProblem(
                api.as(alice).postRaw("/api/messages/private", "{\"receiver_id\": \"abc\", \"content\": \"x\"}"),
                400,
                "invalid_request");
        assertProblem(api.as(alice).postRaw("/api/messages/private", "[1,2]"), 400, "invalid_request");
        assertProblem(api.as(alice).get("/api/conversations/abc"), 400, "invalid_request");
        assertProblem(api.as(alice).get("/api/conversations?limit=0"), 400, "invalid_request");
        assertProblem(api.as(alice).get("/api/conversations?cursor=garbage!"), 400, "invalid_request");
        assertProblem(api.as(alice).post("/api/sync", Map.of("limit", 1001)), 400, "invalid_request");
        assertProblem(
                api.as(alice).postRaw("/api/sync", "{\"positions\": {\"not-a-number\": 1}}"), 400, "invalid_request");
        assertProblem(api.as(alice).post("/api/groups", Map.of("member_ids", List.of())), 400, "invalid_request");
        assertProblem(
                api.as(alice).post("/api/groups", Map.of("name", "g", "member_ids", List.of(newUserId()))),
                422,
                "unknown_user");
        assertProblem(api.as(alice).get("/api/users?ids=x"), 400, "invalid_request");
        assertProblem(api.as(alice).get("/api/no-such-endpoint"), 404, "not_found");
    }

    private static void assertProblem(Api.Response response, int status, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.code()).as(response.toString()).isEqualTo(code);
        assertThat(response.longValue("status")).isEqualTo(status);
        assertThat(response.text("title")).isNotBlank();
        assertThat(response.text("detail")).isNotBlank();
    }
}
