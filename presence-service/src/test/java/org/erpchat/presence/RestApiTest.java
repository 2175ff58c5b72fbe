package org.erpchat.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.erpchat.presence.RestCalls.Response;
import org.erpchat.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/** The REST API over real HTTP, with real tokens, through service-support's filter chain. */
class RestApiTest extends PresenceIntegrationTest {

    private final String token = TestTokens.forUser(newId());

    @Autowired
    private ApplicationContext context;

    @Test
    void theServiceHasNoDatabase() {
        assertThat(context.getBeanNamesForType(DataSource.class)).isEmpty();
    }

    @Test
    void onlineUsersAndOneUsersPresence() {
        long online = newId();
        long neverSeen = newId();
        try (FakeGateway gateway = FakeGateway.live()) {
            gateway.open(online);
            awaitStates(online, true);

            Response all = RestCalls.get(port, "/api/presence/online", token);
            assertThat(all.status()).isEqualTo(200);
            assertThat(ids(all.body().get("user_ids"))).contains(online).doesNotContain(neverSeen);

            Response one = RestCalls.get(port, "/api/presence/" + online, token);
            assertThat(one.status()).isEqualTo(200);
            assertThat(one.body().get("user_id").asLong()).isEqualTo(online);
            assertThat(one.body().get("is_online").asBoolean()).isTrue();
            Instant lastSeen = Instant.parse(one.body().get("last_seen_at").asString());
            assertThat(lastSeen)
                    .isBetween(
                            Instant.now().minus(Duration.ofMinutes(1)),
                            Instant.now().plusSeconds(5));

            Response unknown = RestCalls.get(port, "/api/presence/" + neverSeen, token);
            assertThat(unknown.status()).isEqualTo(200);
            assertThat(unknown.body().get("is_online").asBoolean()).isFalse();
            assertThat(unknown.body().has("last_seen_at")).isTrue();
            assertThat(unknown.body().get("last_seen_at").isNull()).isTrue();

            gateway.closeAll();
            awaitStates(online, true, false);
            Response after = RestCalls.get(port, "/api/presence/" + online, token);
            assertThat(after.body().get("is_online").asBoolean()).isFalse();
            assertThat(Instant.parse(after.body().get("last_seen_at").asString()))
                    .isAfterOrEqualTo(lastSeen);
        }
    }

    @Test
    void bulkQueryAnswersInTheOrderAskedWithEachIdOnce() {
        long online = newId();
        long offline = newId();
        try (FakeGateway gateway = FakeGateway.live()) {
            gateway.open(online);
            awaitStates(online, true);

            Response response = RestCalls.post(
                    port,
                    "/api/presence/query",
                    token,
                    "{\"user_ids\":[" + offline + "," + online + "," + offline + "]}");

            assertThat(response.status()).isEqualTo(200);
            List<JsonNode> entries = new ArrayList<>();
            response.body().forEach(entries::add);
            assertThat(entries).hasSize(2);
            assertThat(entries.get(0).get("user_id").asLong()).isEqualTo(offline);
            assertThat(entries.get(0).get("is_online").asBoolean()).isFalse();
            assertThat(entries.get(0).get("last_seen_at").isNull()).isTrue();
            assertThat(entries.get(1).get("user_id").asLong()).isEqualTo(online);
            assertThat(entries.get(1).get("is_online").asBoolean()).isTrue();
            assertThat(entries.get(1).get("last_seen_at").isString()).isTrue();

            Response empty = RestCalls.post(port, "/api/presence/query", token, "{\"user_ids\":[]}");
            assertThat(empty.status()).isEqualTo(200);
            assertThat(empty.body().size()).isZero();
        }
    }

    @Test
    void requestsWithoutAValidTokenAre401ProblemDetails() {
        for (String badToken : new String[] {
            null,
            "not-a-jwt",
            TestTokens.withWrongSignature(1),
            TestTokens.expiringAt(1, Instant.now().minus(Duration.ofHours(1)))
        }) {
            for (Response response : List.of(
                    RestCalls.get(port, "/api/presence/online", badToken),
                    RestCalls.get(port, "/api/presence/1", badToken),
                    RestCalls.post(port, "/api/presence/query", badToken, "{\"user_ids\":[1]}"))) {
                assertThat(response.status()).as("token %s", badToken).isEqualTo(401);
                assertThat(response.contentType()).startsWith("application/problem+json");
                assertThat(response.wwwAuthenticate()).startsWith("Bearer");
                assertThat(response.body().get("code").asString()).isEqualTo("unauthorized");
            }
        }
    }

    @Test
    void invalidRequestsAre400ProblemDetailsWithACode() {
        String tooMany = LongStream.rangeClosed(1, properties.maxQuerySize() + 1)
                .mapToObj(Long::toString)
                .collect(Collectors.joining(",", "{\"user_ids\":[", "]}"));
        assertProblem(RestCalls.post(port, "/api/presence/query", token, tooMany), 400, "too_many_user_ids");
        assertProblem(RestCalls.post(port, "/api/presence/query", token, "{\"user_ids\":"), 400, "invalid_request");
        assertProblem(RestCalls.post(port, "/api/presence/query", token, "{}"), 400, "invalid_request");
        assertProblem(
                RestCalls.post(port, "/api/presence/query", token, "{\"user_ids\":[1,-2]}"), 400, "invalid_request");
        assertProblem(
                RestCalls.post(port, "/api/presence/query", token, "{\"user_ids\":[1,null]}"), 400, "invalid_request");
        assertProblem(
                RestCalls.post(port, "/api/presence/query", token, "{\"user_ids\":[\"x\"]}"), 400, "invalid_request");
        assertProblem(RestCalls.get(port, "/api/presence/abc", token), 400, "invalid_request");
        assertProblem(RestCalls.get(port, "/api/presence/0", token), 400, "invalid_request");
        assertProblem(RestCalls.get(port, "/api/presence/-3", token), 400, "invalid_request");

        String exactlyMax = LongStream.rangeClosed(1, properties.maxQuerySize())
                .mapToObj(Long::toString)
                .collect(Collectors.joining(",", "{\"user_ids\":[", "]}"));
        Response max = RestCalls.post(port, "/api/presence/query", token, exactlyMax);
        assertThat(max.status()).isEqualTo(200);
        assertThat(max.body().size()).isEqualTo(properties.maxQuerySize());
    }

    @Test
    void apiDocsAndHealthAnswerWithoutAToken() {
        Response docs = RestCalls.get(port, "/v3/api-docs", null);
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.body().get("paths").has("/api/presence/query")).isTrue();
        assertThat(docs.body().get("paths").has("/api/presence/online")).isTrue();
        assertThat(docs.body().toString())
                .contains("user_ids")
                .contains("is_online")
                .contains("last_seen_at");

        Response readiness = RestCalls.get(port, "/actuator/health/readiness", null);
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.body().get("status").asString()).isEqualTo("UP");
        assertThat(readiness.body().get("components").has("redis")).isTrue();
        assertThat(readiness.body().get("components").has("kafka")).isTrue();
        assertThat(RestCalls.get(port, "/actuator/health/liveness", null).status())
                .isEqualTo(200);
    }

    private static void assertProblem(Response response, int status, String code) {
        assertThat(response.status()).as("%s", response).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.body().get("status").asInt()).isEqualTo(status);
        assertThat(response.body().get("code").asString()).as("%s", response).isEqualTo(code);
    }

    private static List<Long> ids(JsonNode array) {
        List<Long> ids = new ArrayList<>();
        array.forEach(id -> ids.add(id.asLong()));
        return ids;
    }
}
