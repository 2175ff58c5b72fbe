package org.erpchat.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.erpchat.testsupport.OpenApiContract.expectProblem;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.erpchat.testsupport.OpenApiContract;
import org.erpchat.testsupport.OpenApiContract.Answer;
import org.erpchat.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The served OpenAPI document is a contract a client generator can trust: every documented operation is called with
 * valid and with invalid input over real HTTP, and every answer (status, content type, body) must be one the document
 * lists for the operation, its body matching the schema given for it (required and nullable members, formats). The
 * request bodies sent as valid must match the request schemas, and those sent as invalid in a way a schema can say must
 * be refused by the schemas as by the service. After all, every operation must have been seen answering a success and a
 * client error.
 */
class ApiContractTest extends PresenceIntegrationTest {

    private static OpenApiContract contract;

    private final String token = TestTokens.forUser(newId());

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
                .as("members of success answers not marked required")
                .isEmpty();
    }

    @Test
    void presenceOfOnlineAndNeverSeenUsers() {
        long online = newId();
        long neverSeen = newId();
        try (FakeGateway gateway = FakeGateway.live()) {
            gateway.open(online);
            awaitStates(online, true);

            Answer all = call("GET", "/api/presence/online", "/api/presence/online", token, null);
            assertThat(all.status()).isEqualTo(200);
            String one = "/api/presence/{userId}";
            Answer seen = call("GET", one, "/api/presence/" + online, token, null);
            assertThat(seen.json().get("last_seen_at").isNull()).isFalse();
            Answer unseen = call("GET", one, "/api/presence/" + neverSeen, token, null);
            assertThat(unseen.json().get("last_seen_at").isNull()).isTrue();

            String query = "/api/presence/query";
            Answer both = valid("POST", query, query, token, Map.of("user_ids", List.of(online, neverSeen, online)));
            assertThat(both.json().size()).isEqualTo(2);
        }
    }

    @Test
    void invalidInputAndMissingTokens() {
        String one = "/api/presence/{userId}";
        String query = "/api/presence/query";
        expectProblem(401, call("GET", "/api/presence/online", "/api/presence/online", null, null));
        expectProblem(401, call("GET", one, "/api/presence/1", "not-a-token", null));
        expectProblem(401, call("POST", query, query, null, Map.of("user_ids", List.of(1))));
        expectProblem(
                406, send("GET", "/api/presence/online", "/api/presence/online", token, null, "text/plain", null));
        expectProblem(406, send("GET", one, "/api/presence/1", token, null, "text/plain", null));

        expectProblem(400, call("GET", one, "/api/presence/0", token, null));
        expectProblem(400, call("GET", one, "/api/presence/abc", token, null));
        expectProblem(400, invalid("POST", query, query, token, Map.of()));
        expectProblem(400, invalid("POST", query, query, token, Map.of("user_ids", List.of(1.5))));
        expectProblem(400, invalid("POST", query, query, token, Map.of("user_ids", "7")));
        List<Long> tooMany = LongStream.rangeClosed(1, properties.maxQuerySize() + 1L)
                .boxed()
                .toList();
        Answer refused = call("POST", query, query, token, Map.of("user_ids", tooMany));
        expectProblem(400, refused);
        assertThat(refused.json().get("code").asString()).isEqualTo("too_many_user_ids");
        expectProblem(415, send("POST", query, query, token, "text/plain", null, "{\"user_ids\":[1]}"));
        expectProblem(400, send("POST", query, query, token, "application/json", null, "{"));
        String huge = "{\"user_ids\":[" + "1,".repeat(600_000) + "1]}";
        expectProblem(413, send("POST", query, query, token, "application/json", null, huge));
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

    /** Over real HTTP; checked against the document when {@code template} names an operation. */
    private Answer send(
            String method, String template, String path, String token, String contentType, String accept, String body) {
        return contract.call(port, method, template, path, token, contentType, accept, body);
    }
}
