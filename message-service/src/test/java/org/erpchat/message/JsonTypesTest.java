package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.erpchat.message.Problems.assertProblem;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A JSON value of the wrong type is a 400 {@code invalid_request}, as the WebSocket answers it: no number or boolean
 * becomes a string, no fraction or boolean becomes an id. Ids written as strings of digits are still accepted, as the
 * WebSocket accepts them.
 */
class JsonTypesTest extends MessageServiceTest {

    @Test
    void numbersAndBooleansAreNotText() {
        long alice = knownUser();
        long bob = knownUser();
        for (String content : List.of("42", "4.2", "true", "false")) {
            Api.Response response = api.as(alice)
                    .postRaw("/api/messages/private", "{\"receiver_id\":" + bob + ",\"content\":" + content + "}");
            assertProblem(response, 400, "invalid_request");
            assertThat(response.text("detail")).isEqualTo("`content` must be a JSON string");
        }
        assertProblem(
                api.as(alice)
                        .postRaw(
                                "/api/messages/private",
                                "{\"receiver_id\":" + bob + ",\"content\":\"x\",\"client_msg_id\":123}"),
                400,
                "invalid_request");
        assertProblem(
                api.as(alice)
                        .postRaw(
                                "/api/messages/private",
                                "{\"receiver_id\":" + bob + ",\"type\":\"file\",\"file_id\":7,\"content\":\"x\"}"),
                400,
                "invalid_request");
        assertProblem(
                api.as(alice).postRaw("/api/groups", "{\"name\":true,\"member_ids\":[" + bob + "]}"),
                400,
                "invalid_request");
        assertNothingStoredFor(alice);
    }

    @Test
    void fractionsAndBooleansAreNotIds() {
        long alice = knownUser();
        long bob = knownUser();
        for (String id : List.of(bob + ".5", bob + ".0", "true", "1e3")) {
            assertProblem(
                    api.as(alice).postRaw("/api/messages/private", "{\"receiver_id\":" + id + ",\"content\":\"x\"}"),
                    400,
                    "invalid_request");
        }
        assertProblem(
                api.as(alice).postRaw("/api/groups", "{\"name\":\"g\",\"member_ids\":[" + bob + ".5]}"),
                400,
                "invalid_request");
        assertProblem(api.as(alice).postRaw("/api/sync", "{\"positions\":{},\"limit\":2.5}"), 400, "invalid_request");
        assertProblem(api.as(alice).postRaw("/api/conversations/1/read", "{\"seq\":true}"), 400, "invalid_request");
        assertNothingStoredFor(alice);
    }

    @Test
    void aStringThatIsNotOnlyDigitsIsNotAnId() {
        long alice = knownUser();
        long bob = knownUser();
        for (String id : List.of(" " + bob, bob + " ", "+" + bob, "0" + bob, "", "0x10")) {
            Api.Response refused = api.as(alice)
                    .postRaw("/api/messages/private", "{\"receiver_id\":\"" + id + "\",\"content\":\"x\"}");
            assertProblem(refused, 400, "invalid_request");
            assertThat(refused.text("detail"))
                    .isEqualTo("`receiver_id` must be a JSON integer (or a string of digits)");
        }
        assertProblem(api.as(alice).postRaw("/api/sync", "{\"limit\":\" 5\"}"), 400, "invalid_request");
        assertProblem(
                api.as(alice).postRaw("/api/groups", "{\"name\":\"g\",\"member_ids\":[\"" + bob + " \"]}"),
                400,
                "invalid_request");
        assertNothingStoredFor(alice);
    }

    @Test
    void aPositionsKeyThatIsNotOnlyDigitsIsNotAConversationId() {
        long alice = knownUser();
        long bob = knownUser();
        long conversation = sendPrivate(bob, alice, "one").longValue("conversation_id");
        for (String key :
                List.of("+" + conversation, " " + conversation, "-" + conversation, "0" + conversation, "", "0x10")) {
            Api.Response refused = api.as(alice).postRaw("/api/sync", "{\"positions\":{\"" + key + "\":0}}");
            assertProblem(refused, 400, "invalid_request");
            assertThat(refused.text("detail")).as(key).contains("positions");
        }
        Api.Response digits = api.as(alice).postRaw("/api/sync", "{\"positions\":{\"" + conversation + "\":0}}");
        assertThat(digits.status()).as(digits.toString()).isEqualTo(200);
        assertThat(digits.body().get("messages").size()).isEqualTo(1);

        // In a gateway's batch the bad key fails its own request alone.
        String token = org.erpchat.testsupport.TestTokens.forUser(alice);
        Api.Response batch = api.as(alice)
                .postRaw(
                        "/api/sync/batch",
                        "{\"requests\":[{\"token\":\"" + token + "\",\"positions\":{\"+" + conversation
                                + "\":0}},{\"token\":\"" + token + "\",\"positions\":{\"" + conversation
                                + "\":0}}]}");
        assertThat(batch.status()).as(batch.toString()).isEqualTo(200);
        assertThat(batch.body().get("results").get(0).get("error").asString()).isEqualTo("invalid_request");
        assertThat(batch.body().get("results").get(1).get("messages").size()).isEqualTo(1);
    }

    @Test
    void aMemberNamedTwiceIsRefusedNotReadAsOneOfItsValues() {
        long alice = knownUser();
        long bob = knownUser();
        long carol = knownUser();
        // Which receiver would be meant? Jackson would take the last, something that read the bytes before us the
        // first.
        Api.Response refused = api.as(alice)
                .postRaw(
                        "/api/messages/private",
                        "{\"receiver_id\":" + bob + ",\"content\":\"x\",\"receiver_id\":" + carol + "}");
        assertProblem(refused, 400, "invalid_request");
        assertThat(refused.text("detail")).isEqualTo("The request body names `receiver_id` twice in one object");
        assertProblem(
                api.as(alice)
                        .postRaw(
                                "/api/messages/private",
                                "{\"receiver_id\":" + bob + ",\"content\":\"a\",\"content\":\"b\"}"),
                400,
                "invalid_request");
        assertProblem(
                api.as(alice).postRaw("/api/groups", "{\"name\":\"g\",\"name\":\"h\",\"member_ids\":[" + bob + "]}"),
                400,
                "invalid_request");
        assertNothingStoredFor(alice);
    }

    @Test
    void integersInTheQueryAreDigitsOnly() {
        long alice = knownUser();
        long bob = knownUser();
        long conversation = sendPrivate(alice, bob, "hi").longValue("conversation_id");
        for (String value : List.of("+5", "05", "%205", "5%20", "-5")) {
            assertProblem(
                    api.as(alice).get("/api/conversations/" + conversation + "/messages?limit=" + value),
                    400,
                    "invalid_request");
            assertProblem(
                    api.as(alice).get("/api/conversations/" + conversation + "/messages?before=" + value),
                    400,
                    "invalid_request");
            assertProblem(api.as(alice).get("/api/groups?limit=" + value), 400, "invalid_request");
            assertProblem(api.as(alice).get("/api/users?ids=" + bob + "," + value), 400, "invalid_request");
        }
        assertThat(api.as(alice).get("/api/users?ids=05").text("detail"))
                .isEqualTo("`ids` must be written in digits (no sign, space or leading zero)");
        // Digits are taken, in lists too, and an empty optional parameter still counts as not given.
        assertThat(api.as(alice)
                        .get("/api/conversations/" + conversation + "/messages?limit=5&before=")
                        .status())
                .isEqualTo(200);
        assertThat(api.as(alice).get("/api/users?ids=" + bob + "," + alice).status())
                .isEqualTo(200);
    }

    @Test
    void idsAsStringsOfDigitsAreStillAccepted() {
        long alice = knownUser();
        long bob = knownUser();
        Api.Response sent = api.as(alice)
                .postRaw("/api/messages/private", "{\"receiver_id\":\"" + bob + "\",\"content\":\"digits\"}");
        assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
        assertThat(sent.longValue("receiver_id")).isEqualTo(bob);
    }

    /** A refused request did nothing: no message from the user, no group of theirs. */
    private void assertNothingStoredFor(long user) {
        assertThat(jdbc.sql("SELECT count(*) FROM messages WHERE sender_id = :s")
                        .param("s", user)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(api.as(user).get("/api/groups").body().get("groups").size()).isZero();
    }
}
