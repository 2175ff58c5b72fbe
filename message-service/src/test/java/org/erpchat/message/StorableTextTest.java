package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.erpchat.message.Problems.assertNoErrorLogged;
import static org.erpchat.message.Problems.assertProblem;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.erpchat.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * Text PostgreSQL cannot store, or that is not valid Unicode (NUL, unpaired surrogates), is refused at the edge with a
 * clear 400, never stored, never a 500 with a stack trace; valid text of any script comes back exactly as sent. The
 * request bodies are written by hand because the JSON escapes ({@code \u0000}, {@code \ud800}) are the point.
 */
@ExtendWith(OutputCaptureExtension.class)
class StorableTextTest extends MessageServiceTest {

    /** JSON string literals (escapes included) that decode to text that cannot be stored. */
    private static final List<String> UNSTORABLE = List.of(
            "\"nul \\u0000 inside\"",
            "\"lone \\ud800 surrogate\"",
            "\"lone low \\udc00 surrogate\"",
            "\"reversed \\udc00\\ud800 pair\"",
            "\"ends with a high surrogate \\ud83d\"");

    @Test
    void unstorableContentIsRefusedAsInvalidMessageAndNothingIsStored(CapturedOutput output) {
        int logStart = output.getAll().length();
        long alice = knownUser();
        long bob = knownUser();
        for (String content : UNSTORABLE) {
            Api.Response response = api.as(alice)
                    .postRaw("/api/messages/private", "{\"receiver_id\":" + bob + ",\"content\":" + content + "}");
            assertProblem(response, 400, "invalid_message");
            assertThat(response.text("detail")).contains("content");
        }
        long groupId = createGroup(alice, List.of(bob));
        Api.Response group = api.as(alice)
                .postRaw("/api/messages/group", "{\"group_id\":" + groupId + ",\"content\":" + UNSTORABLE.get(0) + "}");
        assertProblem(group, 400, "invalid_message");

        assertThat(messagesSentBy(alice)).isZero();
        assertNoErrorLogged(output, logStart);
    }

    @Test
    void unstorableFileIdIsRefusedAsInvalidMessageAndNothingIsStored(CapturedOutput output) {
        int logStart = output.getAll().length();
        long alice = knownUser();
        long bob = knownUser();
        for (String fileId : UNSTORABLE) {
            Api.Response response = api.as(alice)
                    .postRaw(
                            "/api/messages/private",
                            "{\"receiver_id\":" + bob + ",\"type\":\"file\",\"file_id\":" + fileId + "}");
            assertProblem(response, 400, "invalid_message");
            assertThat(response.text("detail")).contains("file_id");
        }
        assertThat(messagesSentBy(alice)).isZero();
        assertNoErrorLogged(output, logStart);
    }

    @Test
    void anyValidTextRoundTripsByteForByte() {
        long alice = knownUser();
        long bob = knownUser();
        // Vietnamese precomposed and decomposed (combining marks must not be normalised), emoji with skin tone and a
        // zero-width-joiner family, a supplementary-plane CJK ideograph, right-to-left text, a BOM-like U+FEFF.
        String content = "Xin chào thế giới! Tiếng Việt có dấu: ă â đ ê ô ơ ư, e\u0301 a\u0300\u0323 "
                + "\uD83D\uDC4B\uD83C\uDFFD \uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67 \uD840\uDC0B "
                + "שלום \uFEFF\uFFFD end";
        String fileId = "files/ảnh-\uD83D\uDCF7.png";

        Api.Response sent = api.as(alice)
                .post(
                        "/api/messages/private",
                        Api.body("receiver_id", bob, "content", content, "type", "image", "file_id", fileId));
        assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
        assertThat(utf8(sent.text("content"))).isEqualTo(utf8(content));
        assertThat(utf8(sent.text("file_id"))).isEqualTo(utf8(fileId));

        Api.Response history = api.as(bob).get("/api/conversations/" + sent.longValue("conversation_id") + "/messages");
        assertThat(history.status()).isEqualTo(200);
        JsonNode stored = history.body().get("messages").get(0);
        assertThat(utf8(stored.get("content").asString())).isEqualTo(utf8(content));
        assertThat(utf8(stored.get("file_id").asString())).isEqualTo(utf8(fileId));
        assertThat(stored.get("id").asString()).isEqualTo(sent.text("id"));
    }

    @Test
    void unstorableGroupNameIsAnInvalidRequest(CapturedOutput output) {
        int logStart = output.getAll().length();
        long alice = knownUser();
        long bob = knownUser();
        for (String name : UNSTORABLE) {
            Api.Response response =
                    api.as(alice).postRaw("/api/groups", "{\"name\":" + name + ",\"member_ids\":[" + bob + "]}");
            assertProblem(response, 400, "invalid_request");
            assertThat(response.text("detail")).contains("name");
        }
        assertThat(api.as(alice).get("/api/groups").body().get("groups").size()).isZero();
        assertNoErrorLogged(output, logStart);
    }

    @Test
    void unstorableProvisionedDisplayNameIsAnInvalidRequest(CapturedOutput output) {
        int logStart = output.getAll().length();
        String admin = TestTokens.withClaims(
                Map.of("sub", Long.toString(newUserId()), "scope", "chat.admin"),
                Instant.now().plus(Duration.ofHours(1)));
        long provisioned = newUserId();
        for (String name : UNSTORABLE) {
            Api.Response response =
                    api.withToken(admin).putRaw("/api/admin/users/" + provisioned, "{\"display_name\":" + name + "}");
            assertProblem(response, 400, "invalid_request");
            assertThat(response.text("detail")).contains("display_name");
        }
        assertThat(jdbc.sql("SELECT count(*) FROM users WHERE id = :id")
                        .param("id", provisioned)
                        .query(Long.class)
                        .single())
                .isZero();
        assertNoErrorLogged(output, logStart);
    }

    @Test
    void aTokenNameThatCannotBeStoredNeverBreaksARequestAndIsStoredSanitized(CapturedOutput output) {
        int logStart = output.getAll().length();
        long caller = newUserId();
        String token = TestTokens.forUser(caller, "Bad\u0000Name");

        Api.Response me = api.withToken(token).get("/api/users/me");
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.text("display_name")).isEqualTo("Bad\uFFFDName");
        assertThat(storedName(caller)).isEqualTo("Bad\uFFFDName");
        // Every other request of that caller works too.
        assertThat(api.withToken(token).get("/api/conversations").status()).isEqualTo(200);

        // A name longer than the column is cut to fit rather than failing every request of its owner.
        long longNamed = newUserId();
        String longToken = TestTokens.forUser(longNamed, "N".repeat(250));
        assertThat(api.withToken(longToken).get("/api/users/me").status()).isEqualTo(200);
        assertThat(storedName(longNamed)).isEqualTo("N".repeat(200));
        assertNoErrorLogged(output, logStart);
    }

    private String storedName(long userId) {
        return jdbc.sql("SELECT display_name FROM users WHERE id = :id")
                .param("id", userId)
                .query(String.class)
                .single();
    }

    private long messagesSentBy(long sender) {
        return jdbc.sql("SELECT count(*) FROM messages WHERE sender_id = :s AND type <> 'system'")
                .param("s", sender)
                .query(Long.class)
                .single();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
