package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Probes, metrics and the API description answer without a token. */
class OperationsTest extends MessageServiceTest {

    @Test
    void livenessAndReadinessIncludeDatabaseAndKafka() {
        assertThat(api.anonymous().get("/actuator/health/liveness").status()).isEqualTo(200);
        Api.Response readiness = api.anonymous().get("/actuator/health/readiness");
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.text("status")).isEqualTo("UP");
    }

    @Test
    void prometheusExposesTheChatMetrics() {
        long alice = knownUser();
        long bob = knownUser();
        sendPrivate(alice, bob, "count me");
        sendPrivate(alice, alice, "rejected");

        Api.Response scrape = api.anonymous().get("/actuator/prometheus");
        assertThat(scrape.status()).isEqualTo(200);
        String text = scrape.raw().body();
        assertThat(text)
                .contains("chat_messages_sent_total{")
                .contains("kind=\"private\"")
                .contains("chat_messages_rejected_total{")
                .contains("reason=\"self_message\"")
                .contains("chat_messages_rate_limited_total")
                .contains("chat_outbox_backlog")
                .contains("chat_outbox_oldest_age_seconds");
    }

    @Test
    void requestsAreTimedWithoutAnObservationPerSecurityFilter() {
        sendPrivate(knownUser(), knownUser(), "time me");

        String text = api.anonymous().get("/actuator/prometheus").raw().body();
        assertThat(text).contains("http_server_requests_seconds_count{");
        // Spring Security's observations cost 8 % of the CPU under load (docs/benchmarks.md section 7): kept off.
        assertThat(text).doesNotContain("spring_security_");
    }

    @Test
    void openApiDocumentDescribesTheApiWithBearerAuth() {
        Api.Response docs = api.anonymous().get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.body().get("paths").has("/api/messages/private")).isTrue();
        assertThat(docs.body().get("paths").has("/api/sync")).isTrue();
        assertThat(docs.body().get("components").get("securitySchemes").toString())
                .contains("bearer");
        assertThat(docs.raw().body()).contains("receiver_id").contains("client_msg_id");
        // The authenticated user comes from the token, not from a parameter.
        assertThat(docs.body()
                        .get("paths")
                        .get("/api/contacts")
                        .get("get")
                        .get("parameters")
                        .valueStream()
                        .map(parameter -> parameter.get("name").asString()))
                .containsExactly("max_group_size");
    }
}
