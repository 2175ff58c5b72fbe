package org.erpchat.support.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.erpchat.support.kafka.ChatKafkaAutoConfiguration;
import org.erpchat.support.kafka.ChatKafkaProducerAutoConfiguration;
import org.erpchat.testsupport.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The REST services' edges over real HTTP on Tomcat, as a client that sends what it should not meets them: every answer
 * is a problem detail with a code, nothing reads a body before the caller is authenticated, and nothing a client sends
 * over and over writes a line to the log each time.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProblemAnswersOverHttpTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ConfigurableApplicationContext service;
    private int port;

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void aFormBodyWithoutATokenIsRefused401UnreadNot500(CapturedOutput output) throws IOException {
        start();

        Answer answer = exchange(
                "PUT /api/items/1 HTTP/1.1", List.of("Content-Type: application/x-www-form-urlencoded"), "a=%zz");

        assertProblem(answer, 401, "unauthorized");
        assertThat(output.getAll().lines().filter(line -> line.contains(" ERROR ")))
                .isEmpty();
    }

    @Test
    void aMultipartBodyIsNeverParsedAGetIgnoresItAndABodyEndpointRefusesIt415(CapturedOutput output)
            throws IOException {
        start();
        String token = "Authorization: Bearer " + token();
        List<String> noBoundary = List.of(token, "Content-Type: multipart/form-data");

        Answer get = exchange("GET /api/echo?max_size=1 HTTP/1.1", noBoundary, "");
        Answer put = exchange("PUT /api/items/1 HTTP/1.1", noBoundary, "");
        Answer wellFormed = exchange(
                "PUT /api/items/1 HTTP/1.1",
                List.of(token, "Content-Type: multipart/form-data; boundary=b"),
                "--b\r\nContent-Disposition: form-data; name=\"display_name\"\r\n\r\nx\r\n--b--\r\n");

        assertThat(get.status()).as(get.toString()).isEqualTo(200);
        assertProblem(put, 415, "unsupported_media_type");
        assertProblem(wellFormed, 415, "unsupported_media_type");
        assertThat(output.getAll().lines().filter(line -> line.contains(" ERROR ")))
                .isEmpty();
    }

    @Test
    void anAcceptHeaderThatCannotBeParsedStillGetsTheProblemBodyAndNoLogLine(CapturedOutput output) throws IOException {
        start();

        Answer invalid = exchange(
                "GET /api/echo?max_size=abc HTTP/1.1",
                List.of("Authorization: Bearer " + token(), "Accept: foo"),
                null);
        Answer unknown =
                exchange("GET /api/nothing HTTP/1.1", List.of("Authorization: Bearer " + token(), "Accept: foo"), null);

        // An Accept that cannot be parsed takes no JSON: refused before the operation (or its parameters) is looked at.
        assertProblem(invalid, 406, "not_acceptable");
        assertProblem(unknown, 404, "not_found");
        assertThat(output.getAll()).doesNotContain("invalid Accept");
    }

    @Test
    void whatTomcatRefusesBeforeTheApplicationIsAProblemDetailNotAnHtmlPage() throws IOException {
        start();

        assertProblem(exchange("GET /api/echo/%zz HTTP/1.1", List.of(), null), 400, "invalid_request");
        assertProblem(exchange("GET /api/echo?x=| HTTP/1.1", List.of(), null), 400, "invalid_request");
    }

    @Test
    void aQueryParameterWithAnInvalidEscapeIsAnInvalidRequestAndNotLogged(CapturedOutput output) throws IOException {
        start();

        for (String query : List.of("max_size=1%zz", "max_size=%", "max_size=1&other=%zz")) {
            Answer answer =
                    exchange("GET /api/echo?" + query + " HTTP/1.1", List.of("Authorization: Bearer " + token()), null);
            assertProblem(answer, 400, "invalid_request");
        }

        assertThat(output.getAll().lines().filter(line -> line.contains(" ERROR ") || line.contains(" WARN ")))
                .filteredOn(line -> !line.contains("SpringDoc"))
                .isEmpty();
        assertThat(output.getAll()).doesNotContain("DecodeException");
    }

    @Test
    void theErrorPageIsNoPartOfTheApi() throws IOException {
        start();

        for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")) {
            Answer withToken = exchange(method + " /error HTTP/1.1", List.of("Authorization: Bearer " + token()), null);
            assertThat(withToken.status()).as(method + " " + withToken).isEqualTo(404);
            if (!method.equals("HEAD")) {
                assertProblem(withToken, 404, "not_found");
            }
        }
        assertProblem(exchange("GET /error HTTP/1.1", List.of(), null), 404, "not_found");
        // A refusal the container forwards to the page is still answered there.
        assertProblem(exchange("GET /api/echo/%zz HTTP/1.1", List.of(), null), 400, "invalid_request");

        JsonNode docs = exchange("GET /v3/api-docs HTTP/1.1", List.of(), null).json();
        assertThat(docs.path("paths").propertyNames()).contains("/api/echo").doesNotContain("/error");
        // Only the schema of the problems really sent: no second one springdoc derived from Spring's ProblemDetail.
        assertThat(docs.at("/components/schemas").propertyNames())
                .contains("Problem")
                .doesNotContain("ProblemDetail");
    }

    @Test
    void aSuccessIsNeverLabelledAProblemWhateverTheRequestAccepts() throws IOException {
        start();
        String token = "Authorization: Bearer " + token();

        for (String accept :
                List.of("application/problem+json", "application/problem+json, application/json", "application/json")) {
            Answer answer = exchange("GET /api/echo?max_size=1 HTTP/1.1", List.of(token, "Accept: " + accept), null);
            assertThat(answer.status()).as(accept + ": " + answer).isEqualTo(200);
            assertThat(answer.head()).as(accept).containsIgnoringCase("Content-Type: application/json");
            assertThat(answer.json().path("max_size").asInt()).isEqualTo(1);
        }
        // A problem keeps its type, and an Accept header without any JSON is still refused.
        assertProblem(
                exchange("GET /api/echo?max_size=0 HTTP/1.1", List.of(token, "Accept: application/problem+json"), null),
                400,
                "invalid_request");
        assertProblem(
                exchange("GET /api/echo?max_size=1 HTTP/1.1", List.of(token, "Accept: text/plain"), null),
                406,
                "not_acceptable");
    }

    @Test
    void aSignedTokenWhoseScopesAreNotTextIsRefused401Not500(CapturedOutput output) throws IOException {
        start();
        String numericScopes = TestTokens.withClaims(
                Map.of("sub", "42", "scope", List.of(1, 2)), Instant.now().plus(Duration.ofHours(1)));

        Answer answer =
                exchange("GET /api/echo?max_size=1 HTTP/1.1", List.of("Authorization: Bearer " + numericScopes), null);

        assertProblem(answer, 401, "unauthorized");
        assertThat(output.getAll().lines().filter(line -> line.contains(" ERROR ")))
                .isEmpty();
    }

    @Test
    void theSameBugOverAndOverIsLoggedOnceWithItsStackTraceThenCounted(CapturedOutput output) throws IOException {
        start();

        for (int i = 0; i < 3; i++) {
            Answer answer = exchange("GET /api/bug HTTP/1.1", List.of("Authorization: Bearer " + token()), null);
            assertProblem(answer, 500, "internal_error");
            assertThat(answer.body()).doesNotContain("deliberately");
        }

        List<String> errors =
                output.getAll().lines().filter(line -> line.contains(" ERROR ")).toList();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).contains("IllegalStateException").contains("counted");
        assertThat(output.getAll()).contains("at org.erpchat.support.web.ProblemAnswersOverHttpTest$Endpoints.bug");
    }

    @Test
    void aMethodThePathDoesNotAllowIsAnsweredWithoutALogLine(CapturedOutput output) throws IOException {
        start();

        for (int i = 0; i < 2; i++) {
            Answer answer = exchange("DELETE /api/echo HTTP/1.1", List.of("Authorization: Bearer " + token()), null);
            assertProblem(answer, 405, "method_not_allowed");
        }

        assertThat(output.getAll()).doesNotContain("not supported");
    }

    @Test
    void detailsNameFieldsAndParametersAsTheClientSentThem() throws IOException {
        start();

        Answer parameter =
                exchange("GET /api/echo?max_size=0 HTTP/1.1", List.of("Authorization: Bearer " + token()), null);
        Answer field = exchange(
                "PUT /api/items/1 HTTP/1.1",
                List.of("Authorization: Bearer " + token(), "Content-Type: application/json"),
                "{\"display_name\":\" \"}");

        assertProblem(parameter, 400, "invalid_request");
        assertThat(parameter.json().path("detail").asString())
                .contains("max_size")
                .doesNotContain("maxSize");
        assertProblem(field, 400, "invalid_request");
        assertThat(field.json().path("detail").asString())
                .contains("display_name")
                .doesNotContain("displayName");
        List<String> json = List.of("Authorization: Bearer " + token(), "Content-Type: application/json");
        assertThat(exchange("PUT /api/tags HTTP/1.1", json, "{}")
                        .json()
                        .path("detail")
                        .asString())
                .contains("tag_ids")
                .doesNotContain("tagIds");
        assertThat(exchange("PUT /api/tags HTTP/1.1", json, "{\"tag_ids\":[0]}")
                        .json()
                        .path("detail")
                        .asString())
                .contains("tag_ids[0]");
    }

    @Test
    void aCrossOriginRequestFromAnOriginNotAllowedIsAProblemDetail() throws IOException {
        start("chat.web.cors.allowed-origins=https://ok.example");

        Answer refused = exchange(
                "GET /api/echo?max_size=1 HTTP/1.1",
                List.of("Authorization: Bearer " + token(), "Origin: https://evil.example"),
                null);
        Answer allowed = exchange(
                "GET /api/echo?max_size=1 HTTP/1.1",
                List.of("Authorization: Bearer " + token(), "Origin: https://ok.example"),
                null);

        assertProblem(refused, 403, "forbidden");
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.head()).containsIgnoringCase("Access-Control-Allow-Origin: https://ok.example");
    }

    @Test
    void aBodyStillArrivingAtItsDeadlineIsAnsweredRequestTimeoutAndItsConnectionEndsWithoutTheRest() throws Exception {
        start("chat.web.request-body.read-timeout=1s");
        String body = "{\"display_name\":\"" + "a trickle of bytes ".repeat(10) + "\"}";

        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /api/items/1 HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + token()
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            // A client that sends one byte every 300 ms: the whole body would take a minute.
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            AtomicInteger sent = new AtomicInteger();
            ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
            trickle.scheduleAtFixedRate(
                    () -> {
                        int next = sent.get();
                        if (next < bytes.length) {
                            try {
                                out.write(bytes[next]);
                                out.flush();
                                sent.incrementAndGet();
                            } catch (IOException e) {
                                trickle.shutdown(); // the service closed the connection
                            }
                        }
                    },
                    0,
                    300,
                    TimeUnit.MILLISECONDS);

            String response;
            try {
                response = readUntilClosed(socket);
            } finally {
                trickle.shutdownNow();
            }

            // The service ended the connection while the client was still sending: it did not read the rest.
            assertThat(sent.get()).isLessThan(bytes.length);
            assertProblem(Answer.parse(response), 408, "invalid_request");
            assertThat(Answer.parse(response).head()).containsIgnoringCase("Connection: close");
        }
    }

    @Test
    void aBodyThatStopsArrivingIsAnsweredRequestTimeoutAfterTheReadTimeoutAndItsConnectionEndsWithoutTheRest(
            CapturedOutput output) throws Exception {
        // Tomcat's own wait for the next bytes is 60 s here: the read timeout must end it.
        start("chat.web.request-body.read-timeout=2s", "server.tomcat.connection-timeout=60s");
        byte[] body = ("{\"display_name\":\"" + "a stalled body ".repeat(20) + "\"}").getBytes(StandardCharsets.UTF_8);

        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /api/items/1 HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + token()
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(body[0]);
            out.flush(); // and then nothing, until the answer comes
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> readUntilClosed(socket, received));
            // Once answered, the client sends the rest a byte every 300 ms (a minute and a half in all): the service
            // must not read it, waiting for each byte, before it ends the connection.
            AtomicInteger sent = new AtomicInteger(1);
            ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
            trickle.scheduleAtFixedRate(
                    () -> {
                        int next = sent.get();
                        if (received.size() > 0 && next < body.length) {
                            try {
                                out.write(body[next]);
                                out.flush();
                                sent.incrementAndGet();
                            } catch (IOException e) {
                                trickle.shutdown(); // the service closed the connection
                            }
                        }
                    },
                    0,
                    300,
                    TimeUnit.MILLISECONDS);
            try {
                await().atMost(Duration.ofSeconds(30)).until(closed::isDone);
            } finally {
                trickle.shutdownNow();
            }

            assertThat(sent.get()).isLessThan(body.length);
            Answer answer = Answer.parse(received.toString(StandardCharsets.UTF_8));
            assertProblem(answer, 408, "invalid_request");
            assertThat(answer.head()).containsIgnoringCase("Connection: close");
        }
        assertThat(output.getAll().lines().filter(line -> line.contains(" ERROR ") || line.contains(" WARN ")))
                .filteredOn(line -> !line.contains("SpringDoc"))
                .isEmpty();
    }

    /** What the socket gives until the other side closes it (or resets it, after what it sent). */
    private static String readUntilClosed(Socket socket) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        readUntilClosed(socket, received);
        return received.toString(StandardCharsets.UTF_8);
    }

    /** Into {@code received}, as it arrives, what the socket gives until the other side closes (or resets) it. */
    private static void readUntilClosed(Socket socket, ByteArrayOutputStream received) {
        byte[] buffer = new byte[4096];
        try {
            InputStream in = socket.getInputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                received.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            // a reset after the answer: what arrived before it stands
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void start(String... properties) {
        SpringApplicationBuilder builder = new SpringApplicationBuilder(RestService.class)
                .properties(
                        "server.port=0",
                        "server.address=127.0.0.1",
                        "spring.main.banner-mode=off",
                        "spring.jackson.property-naming-strategy=SNAKE_CASE",
                        "chat.security.jwt.secret=" + TestTokens.SECRET);
        service = builder.properties(properties).run();
        port = Integer.parseInt(service.getEnvironment().getProperty("local.server.port"));
    }

    private static String token() {
        return TestTokens.forUser(42);
    }

    private static void assertProblem(Answer answer, int status, String code) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.head()).as(answer.toString()).containsIgnoringCase("Content-Type: application/problem+json");
        assertThat(answer.json().path("code").asString()).as(answer.toString()).isEqualTo(code);
        assertThat(answer.json().path("status").asInt()).isEqualTo(status);
        // Every problem has the same members, whoever built it (RFC 9457: a missing type means about:blank).
        assertThat(answer.json().path("type").asString()).as(answer.toString()).isEqualTo("about:blank");
        assertThat(answer.json().path("title").asString()).as(answer.toString()).isNotBlank();
    }

    /** One request as raw bytes (a client library would refuse to send most of these), its whole answer. */
    private Answer exchange(String requestLine, List<String> headers, String body) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(20_000);
            StringBuilder request = new StringBuilder(requestLine).append("\r\nHost: 127.0.0.1:" + port + "\r\n");
            headers.forEach(header -> request.append(header).append("\r\n"));
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            if (body != null) {
                request.append("Content-Length: ").append(content.length).append("\r\n");
            }
            request.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            return Answer.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static String unchunked(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (at < chunked.length()) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                break;
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
        return body.toString();
    }

    record Answer(int status, String head, String body) {

        /** A whole HTTP/1.1 response as read from the socket. */
        static Answer parse(String response) {
            int split = response.indexOf("\r\n\r\n");
            String head = split < 0 ? response : response.substring(0, split);
            String rest = split < 0 ? "" : response.substring(split + 4);
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                rest = unchunked(rest);
            }
            return new Answer(Integer.parseInt(head.substring(9, 12)), head, rest);
        }

        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration(
            exclude = {ChatKafkaAutoConfiguration.class, ChatKafkaProducerAutoConfiguration.class},
            excludeName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
    @Import({Endpoints.class, ApiExceptionHandler.class})
    static class RestService {}

    record Item(@NotBlank String displayName) {}

    /** Named on the wire by its own annotation, as presence-service's requests are. */
    record Tags(@JsonProperty("tag_ids") @NotNull List<@Positive Long> tagIds) {}

    @RestController
    static class Endpoints {

        @GetMapping("/api/echo")
        Map<String, Object> echo(@RequestParam(name = "max_size") @Positive Integer maxSize) {
            return Map.of("max_size", maxSize);
        }

        @PutMapping("/api/items/{id}")
        Map<String, Object> put(@PathVariable long id, @Valid @RequestBody Item item) {
            return Map.of("id", id, "display_name", item.displayName());
        }

        @PutMapping("/api/tags")
        Map<String, Object> tags(@Valid @RequestBody Tags tags) {
            return Map.of("tag_ids", tags.tagIds());
        }

        @GetMapping("/api/bug")
        Map<String, Object> bug() {
            throw new IllegalStateException("deliberately broken");
        }
    }

    @RestControllerAdvice
    static class ApiExceptionHandler extends ProblemExceptionHandler {}
}
