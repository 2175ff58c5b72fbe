package org.erpchat.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.erpchat.testsupport.TestTokens;
import org.erpchat.testsupport.WithRealInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/** The web app's files and {@code /config.json}, which tells it where the REST services and the token issuer are. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "chat.security.jwt.secret=" + TestTokens.SECRET,
            "chat.gateway.web.dev-token-url=http://localhost:8090/dev/token",
            "chat.gateway.web.message-service-url=http://localhost:8081/",
            "chat.gateway.web.presence-service-url=http://localhost:8082"
        })
@WithRealInfrastructure
@DirtiesContext // a context of its own: closed afterwards so that its Kafka consumers do not outlive the class
class WebAppConfigTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Test
    void configJsonNamesTheConfiguredUrlsInSnakeCase() throws Exception {
        HttpResponse<String> response = get("/config.json");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(response.body())
                .isEqualTo("{\"dev_token_url\":\"http://localhost:8090/dev/token\","
                        + "\"message_service_url\":\"http://localhost:8081\","
                        + "\"presence_service_url\":\"http://localhost:8082\"}");
    }

    @Test
    void servesTheWebAppAndTheJavaScriptClientWithoutAToken() throws Exception {
        HttpResponse<String> index = get("/");
        HttpResponse<String> client = get("/js/chat-client.js");
        HttpResponse<String> app = get("/app.js");

        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("data-testid=\"login-form\"");
        assertThat(client.statusCode()).isEqualTo(200);
        assertThat(client.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).contains("javascript"));
        assertThat(client.body()).contains("export class ChatClient");
        assertThat(app.statusCode()).isEqualTo(200);
    }

    @Test
    void emptyUrlsMeanTheGatewaysOwnOrigin() {
        var controller = new WebAppConfigController(new WebAppProperties("", "", " "));

        assertThat(controller.config().getBody())
                .containsEntry("dev_token_url", "")
                .containsEntry("message_service_url", "")
                .containsEntry("presence_service_url", "");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
