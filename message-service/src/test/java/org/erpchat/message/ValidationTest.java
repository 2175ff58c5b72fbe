package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.erpchat.testsupport.TestTokens;
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

    /** Invisible characters that Java's isBlank() and strip() do not count as whitespace, and text of them. */
    private static final List<String> SHOWS_NOTHING = List.of(
            "\u200B", // zero width space
            "\u00A0", // no-break space
            "\u2060", // word joiner
            "\uFEFF", // zero width no-break space (BOM)
            "\u180E", // Mongolian vowel separator
            "\u3000", // ideographic space
            "\u0001", // a control character
            "\u200D\u202E", // a lone zero width joiner and a bidi override
            " \u200B\t\u00A0\u2028\u3000\u2060\n\uFEFF ");

    @Test
    void textThatShowsNothingIsBlankButThoseCharactersAmongVisibleOnesAreKept() {
        long alice = knownUser();
        long bob = knownUser();
        long groupId = createGroup(alice, List.of(bob));
        for (String invisible : SHOWS_NOTHING) {
            String codePoints = invisible
                    .codePoints()
                    .mapToObj(c -> String.format("U+%04X", c))
                    .toList()
                    .toString();
            Api.Response privateSend = sendPrivate(alice, bob, invisible);
            assertProblem(privateSend, 400, "invalid_message");
            assertThat(privateSend.text("detail")).as(codePoints).isEqualTo("content is required for text messages");
            Api.Response groupSend = sendGroup(alice, groupId, invisible);
            assertProblem(groupSend, 400, "invalid_message");
            Api.Response group =
                    api.as(alice).post("/api/groups", Api.body("name", invisible, "member_ids", List.of(bob)));
            assertProblem(group, 400, "invalid_request");
            assertThat(group.text("detail")).as(codePoints).isEqualTo("name is required");
        }
        assertThat(jdbc.sql("SELECT count(*) FROM messages WHERE sender_id = :s AND type <> 'system'")
                        .param("s", alice)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(api.as(alice).get("/api/groups").body().get("groups").size()).isEqualTo(1);

        // Among visible characters they are content like any other: emoji sequences are made with U+200D and U+FE0F.
        for (String visible : List.of(
                "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67",
                "\u2764\uFE0F",
                "\u200Bhi\u00A0there\u3000",
                "\u202Eevil\u202C")) {
            Api.Response sent = sendPrivate(alice, bob, visible);
            assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
            assertThat(sent.text("content")).isEqualTo(visible);
            Api.Response group =
                    api.as(alice).post("/api/groups", Api.body("name", visible, "member_ids", List.of(bob)));
            assertThat(group.status()).as(group.toString()).isEqualTo(201);
        }
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

    @Test
    void aSyncWithoutABodyIsRefusedAsEveryPostWithoutOneIs() {
        long alice = knownUser();
        for (String body : List.of("", "null")) {
            assertProblem(api.as(alice).postRaw("/api/sync", body), 400, "invalid_request");
            assertProblem(api.as(alice).postRaw("/api/messages/private", body), 400, "invalid_request");
        }
        assertThat(api.as(alice).postRaw("/api/sync", "{}").status()).isEqualTo(200);
    }

    @Test
    void anAsOfWithoutItsOffsetIsRefusedWithADetailSayingWhatIsTaken() {
        long alice = knownUser();
        Api.Response refused = api.as(alice).postRaw("/api/sync", "{\"as_of\":\"2026-12-07T10:00:00\"}");
        assertProblem(refused, 400, "invalid_request");
        assertThat(refused.text("detail"))
                .startsWith("`as_of` must be an RFC 3339 time with its offset")
                .contains("seconds since 1970");
        // Both forms the detail names are taken.
        assertThat(api.as(alice)
                        .postRaw("/api/sync", "{\"as_of\":\"2026-12-07T11:00:00+01:00\"}")
                        .status())
                .isEqualTo(200);
        assertThat(api.as(alice)
                        .postRaw("/api/sync", "{\"as_of\":1765101600.5}")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void aPathIdThatIsNotAPositiveIntegerIs400NotAThingThatIsNotFound() {
        long alice = knownUser();
        long bob = knownUser();
        long conversation = sendPrivate(alice, bob, "hi").longValue("conversation_id");
        for (String id : List.of("0", "-1", "abc", "99999999999999999999", "+5", "05")) {
            assertProblem(api.as(alice).get("/api/groups/" + id), 400, "invalid_request");
            assertProblem(api.as(alice).get("/api/conversations/" + id), 400, "invalid_request");
            assertProblem(api.as(alice).get("/api/conversations/private/" + id), 400, "invalid_request");
            assertProblem(api.as(alice).get("/api/conversations/" + id + "/messages"), 400, "invalid_request");
            assertProblem(
                    api.as(alice).post("/api/conversations/" + id + "/read", Map.of("seq", 1)), 400, "invalid_request");
            assertProblem(api.as(alice).delete("/api/groups/1/members/" + id), 400, "invalid_request");
        }
        String admin = TestTokens.withClaims(
                Map.of("sub", Long.toString(alice), "scope", "chat.admin"),
                Instant.now().plusSeconds(600));
        assertProblem(
                api.withToken(admin).put("/api/admin/users/0", Map.of("display_name", "Zero")), 400, "invalid_request");
        // A positive id that names nothing the caller may see is still 404.
        assertProblem(api.as(alice).get("/api/groups/" + Long.MAX_VALUE), 404, "not_found");
        assertProblem(api.as(alice).get("/api/conversations/private/" + Long.MAX_VALUE), 404, "not_found");
        assertThat(api.as(alice).get("/api/conversations/" + conversation).status())
                .isEqualTo(200);
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
