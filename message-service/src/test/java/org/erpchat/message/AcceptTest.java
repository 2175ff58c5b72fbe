package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.erpchat.message.Problems.assertProblem;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The API answers JSON. A request whose {@code Accept} takes none is refused with 406 before anything is done: found
 * out only when the answer is written, the group would exist and the message be stored, and a client that retries
 * the refused request would create them again.
 */
class AcceptTest extends MessageServiceTest {

    @Test
    void aRequestThatTakesNoJsonIsRefusedBeforeAnythingIsDone() {
        long owner = knownUser();
        long member = knownUser();
        for (String accept : List.of("text/plain", "application/yaml", "text/html, application/xml;q=0.9")) {
            Api.Client client = api.as(owner).accepting(accept);
            assertProblem(
                    client.post("/api/groups", Api.body("name", "refused", "member_ids", List.of(member))),
                    406,
                    "not_acceptable");
            assertProblem(
                    client.post("/api/messages/private", Api.body("receiver_id", member, "content", "refused")),
                    406,
                    "not_acceptable");
            assertProblem(client.get("/api/users/me"), 406, "not_acceptable");
        }
        assertThat(count("SELECT count(*) FROM conversations WHERE owner_id = :user", owner))
                .isZero();
        assertThat(count("SELECT count(*) FROM messages WHERE sender_id = :user", owner))
                .isZero();
    }

    @Test
    void anyAcceptThatTakesJsonIsAnsweredWithJson() {
        long owner = knownUser();
        long member = knownUser();
        for (String accept :
                List.of("application/json", "*/*", "application/*", "text/plain, application/json;q=0.1")) {
            Api.Response sent = api.as(owner)
                    .accepting(accept)
                    .post("/api/messages/private", Api.body("receiver_id", member, "content", accept));
            assertThat(sent.status()).as(accept + ": " + sent).isEqualTo(201);
            assertThat(sent.contentType()).startsWith("application/json");
        }
        assertThat(count("SELECT count(*) FROM messages WHERE sender_id = :user", owner))
                .isEqualTo(4);
    }

    private long count(String sql, long user) {
        return jdbc.sql(sql).param("user", user).query(Long.class).single();
    }
}
