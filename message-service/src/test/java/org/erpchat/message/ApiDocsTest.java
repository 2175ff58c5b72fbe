package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document at {@code /v3/api-docs} says what each operation really answers: its success status (201 for a
 * creation, 204 without a body) and the problem details it can give, with their schema.
 */
class ApiDocsTest extends MessageServiceTest {

    private JsonNode docs() {
        Api.Response docs = api.anonymous().get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        return docs.body();
    }

    @Test
    void sendsAre201Or200ForARepeatAndListTheirProblems() {
        JsonNode docs = docs();
        for (String path : List.of("/api/messages/private", "/api/messages/group")) {
            JsonNode responses = docs.at("/paths/" + escape(path) + "/post/responses");
            assertThat(statuses(responses))
                    .as(path)
                    .contains("200", "201", "400", "401", "408", "413", "429", "500", "503");
            assertThat(responses
                            .at("/201/content/application~1json/schema/$ref")
                            .asString())
                    .endsWith("/Message");
            assertThat(responses
                            .at("/200/content/application~1json/schema/$ref")
                            .asString())
                    .endsWith("/Message");
            assertThat(responses.at("/200/description").asString()).contains("client_msg_id");
            assertThat(responses.at("/400/description").asString())
                    .contains("invalid_message", "content_too_long", "invalid_request");
            assertThat(responses.at("/429/headers").has("Retry-After")).isTrue();
            // A token that could not be checked (the key server did not answer): send it again after Retry-After.
            assertThat(responses.at("/503/headers").has("Retry-After")).isTrue();
            assertThat(responses.at("/503/description").asString()).contains("key server");
            for (String problem : List.of("400", "401", "408", "413", "429", "500", "503")) {
                assertThat(responses
                                .at("/" + problem + "/content/application~1problem+json/schema/$ref")
                                .asString())
                        .as(path + " " + problem)
                        .isEqualTo("#/components/schemas/Problem");
            }
        }
        assertThat(statuses(docs.at("/paths/~1api~1messages~1private/post/responses")))
                .contains("422");
        assertThat(statuses(docs.at("/paths/~1api~1messages~1group/post/responses")))
                .contains("404");
    }

    @Test
    void theProblemSchemaHasTheMembersOfTheProblemsSent() {
        JsonNode docs = docs();
        JsonNode problem = docs.at("/components/schemas/Problem");
        assertThat(problem.isMissingNode()).isFalse();
        assertThat(problem.get("properties").propertyNames())
                .containsExactlyInAnyOrder("type", "title", "status", "detail", "instance", "code");
        assertThat(problem.get("required").toString()).contains("code");
        // No second problem schema (springdoc's view of Spring's ProblemDetail, from the error page's operation).
        assertThat(docs.at("/components/schemas").propertyNames()).doesNotContain("ProblemDetail");
    }

    @Test
    void theErrorPageIsNoOperation() {
        assertThat(docs().get("paths").propertyNames()).doesNotContain("/error");
        Api.Response direct = api.as(knownUser()).get("/error");
        Problems.assertProblem(direct, 404, "not_found");
    }

    @Test
    void everyOperationHasItsRealSuccessStatusAndItsProblems() {
        JsonNode paths = docs().get("paths");
        assertThat(statuses(paths.at("/~1api~1groups/post/responses")))
                .contains("201", "400", "401", "422", "429", "500", "503")
                .doesNotContain("200");
        assertThat(paths.at("/~1api~1groups/post/responses/429/description").asString())
                .contains("rate_limited");
        assertThat(paths.at("/~1api~1groups/post/responses/429/headers").has("Retry-After"))
                .isTrue();
        // The list takes a limit and a cursor.
        assertThat(statuses(paths.at("/~1api~1groups/get/responses"))).contains("200", "400", "401");
        assertThat(statuses(paths.at("/~1api~1groups~1{id}~1members~1{userId}/delete/responses")))
                .contains("204", "401", "403", "404")
                .doesNotContain("200");
        assertThat(statuses(paths.at("/~1api~1groups~1{id}/get/responses"))).contains("200", "401", "404");
        assertThat(statuses(paths.at("/~1api~1admin~1users~1{id}/put/responses")))
                .contains("200", "400", "401", "403");
        assertThat(statuses(paths.at("/~1api~1conversations~1{id}~1messages/get/responses")))
                .contains("200", "400", "401", "404");
        // Every operation needs a token and may meet an unavailable database.
        paths.properties()
                .forEach(path -> path.getValue()
                        .properties()
                        .forEach(operation -> assertThat(
                                        statuses(operation.getValue().get("responses")))
                                .as(operation.getKey() + " " + path.getKey())
                                .contains("401", "500", "503")));
    }

    private static List<String> statuses(JsonNode responses) {
        assertThat(responses.isMissingNode()).as("responses").isFalse();
        return new ArrayList<>(responses.propertyNames());
    }

    private static String escape(String path) {
        return path.replace("~", "~0").replace("/", "~1");
    }
}
