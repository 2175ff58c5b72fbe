package org.erpchat.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.erpchat.presence.RestCalls.Response;
import org.erpchat.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * presence-service speaks the problem-details vocabulary every service shares (docs/architecture.md): the same kind
 * of bad request gets the same code as in message-service, JSON values of the wrong type are refused rather than
 * coerced, and the OpenAPI document lists the problems each operation can answer.
 */
class ProblemDetailsTest extends PresenceIntegrationTest {

    private final String token = TestTokens.forUser(newId());

    @Test
    void wrongJsonTypesAreInvalidRequestsNotCoerced() {
        // Also a string of digits with a leading zero, and user_ids named twice (read as neither of its values).
        for (String ids : List.of("[1.5]", "[2.0]", "[true]", "[1e2]", "7", "[\"07\"]", "[7],\"user_ids\":[8]")) {
            assertProblem(
                    RestCalls.post(port, "/api/presence/query", token, "{\"user_ids\":" + ids + "}"),
                    400,
                    "invalid_request");
        }
        // Ids as strings of digits stay accepted, as on the WebSocket.
        Response digits = RestCalls.post(port, "/api/presence/query", token, "{\"user_ids\":[\"7\"]}");
        assertThat(digits.status()).isEqualTo(200);
        assertThat(digits.body().get(0).get("user_id").asLong()).isEqualTo(7);
    }

    @Test
    void everyKindOfBadRequestGetsTheSharedCode() {
        assertProblem(
                RestCalls.request(port, "POST", "/api/presence/query", token, "text/plain", "{\"user_ids\":[1]}"),
                415,
                "unsupported_media_type");
        assertProblem(
                RestCalls.request(port, "DELETE", "/api/presence/online", token, null, null),
                405,
                "method_not_allowed");
        assertProblem(
                RestCalls.request(port, "POST", "/api/presence/query", token, "application/json", null),
                400,
                "invalid_request");
        assertProblem(RestCalls.get(port, "/api/presence/nothing/here", token), 404, "not_found");
        assertProblem(RestCalls.get(port, "/api/presence/99999999999999999999", token), 400, "invalid_request");
        // Refused by Spring Security's firewall before Spring MVC: answered through the error page.
        assertProblem(RestCalls.get(port, "/api/presence/1;jsessionid=x", token), 400, "invalid_request");
        // The error page itself is no resource.
        assertProblem(RestCalls.get(port, "/error", token), 404, "not_found");
        // A multipart body (here without its boundary) is never parsed: refused where a body is taken, else ignored.
        assertProblem(
                RestCalls.request(port, "POST", "/api/presence/query", token, "multipart/form-data", ""),
                415,
                "unsupported_media_type");
        assertThat(RestCalls.request(port, "GET", "/api/presence/online", token, "multipart/form-data", "")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void anIdInThePathIsDigitsOnlyAsInMessageService() {
        // docs/architecture.md: an integer is digits only ("+42" is refused), and an id in a path that is not a
        // positive integer is 400; message-service answers /api/groups/+5 so, with the same detail.
        for (String id : List.of("+5", "%2B5", "%205", "0", "-1", "abc", "1.5", "99999999999999999999", "05")) {
            Response response = RestCalls.get(port, "/api/presence/" + id, token);
            assertProblem(response, 400, "invalid_request");
            assertThat(response.body().get("detail").asString())
                    .as(id)
                    .isEqualTo("`userId` in the path must be a positive integer");
        }
        assertThat(RestCalls.get(port, "/api/presence/5", token).status()).isEqualTo(200);
    }

    @Test
    void aBodyAboveTheLimitIsRefusedBeforeItIsRead() {
        // About 1.5 MB of ids: read, it would be parsed into a list of 180,000 before the query size rule applies.
        String ids =
                LongStream.range(1_000_000, 1_180_000).mapToObj(Long::toString).collect(Collectors.joining(","));

        assertProblem(
                RestCalls.post(port, "/api/presence/query", token, "{\"user_ids\":[" + ids + "]}"),
                413,
                "invalid_request");
    }

    @Test
    void theApiDocumentListsProblemResponsesWithTheirSchema() {
        Response docs = RestCalls.get(port, "/v3/api-docs", null);
        assertThat(docs.status()).isEqualTo(200);
        JsonNode paths = docs.body().get("paths");
        assertThat(statuses(paths.at("/~1api~1presence~1query/post/responses")))
                .contains("200", "400", "401", "500", "503");
        assertThat(paths.at("/~1api~1presence~1query/post/responses/400/description")
                        .asString())
                .contains("invalid_request", "too_many_user_ids");
        assertThat(statuses(paths.at("/~1api~1presence~1{userId}/get/responses")))
                .contains("200", "400", "401", "500", "503");
        assertThat(statuses(paths.at("/~1api~1presence~1online/get/responses"))).contains("200", "401", "500", "503");
        assertThat(paths.at("/~1api~1presence~1query/post/responses/401/content/application~1problem+json/schema/$ref")
                        .asString())
                .isEqualTo("#/components/schemas/Problem");
        JsonNode problem = docs.body().at("/components/schemas/Problem");
        assertThat(problem.get("properties").propertyNames())
                .containsExactlyInAnyOrder("type", "title", "status", "detail", "instance", "code");
        // The error page is no operation, and with it goes springdoc's schema of Spring's ProblemDetail.
        assertThat(paths.propertyNames()).doesNotContain("/error");
        assertThat(docs.body().at("/components/schemas").propertyNames()).doesNotContain("ProblemDetail");
    }

    private static List<String> statuses(JsonNode responses) {
        assertThat(responses.isMissingNode()).as("responses").isFalse();
        return new ArrayList<>(responses.propertyNames());
    }

    private static void assertProblem(Response response, int status, String code) {
        assertThat(response.status()).as("%s", response).isEqualTo(status);
        assertThat(response.contentType()).as("%s", response).startsWith("application/problem+json");
        assertThat(response.body().get("status").asInt()).isEqualTo(status);
        assertThat(response.body().get("code").asString()).as("%s", response).isEqualTo(code);
        assertThat(response.body().get("detail").asString()).isNotBlank();
    }
}
