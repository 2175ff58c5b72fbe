package org.erpchat.message;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.erpchat.testsupport.TestTokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real HTTP client for the service under test: requests go over the network to the random port. */
public final class Api {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** An answer: status, one header lookup, and the body as a JSON tree (null when empty or not JSON). */
    public record Response(int status, HttpResponse<String> raw, JsonNode body) {

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String contentType() {
            return header("Content-Type");
        }

        public long longValue(String field) {
            return body.get(field).asLong();
        }

        public String text(String field) {
            JsonNode node = body.get(field);
            return node == null || node.isNull() ? null : node.asString();
        }

        /** The {@code code} member of a problem detail. */
        public String code() {
            return text("code");
        }

        @Override
        public String toString() {
            return status + " " + raw.body();
        }
    }

    private final String baseUrl;

    public Api(int port) {
        this.baseUrl = "http://127.0.0.1:" + port;
    }

    public Client as(long userId) {
        return new Client(TestTokens.forUser(userId));
    }

    public Client withToken(String token) {
        return new Client(token);
    }

    public Client anonymous() {
        return new Client(null);
    }

    public final class Client {

        private final String token;
        private final String accept;

        private Client(String token) {
            this(token, null);
        }

        private Client(String token, String accept) {
            this.token = token;
            this.accept = accept;
        }

        /** The same client, sending {@code Accept: mediaTypes}. */
        public Client accepting(String mediaTypes) {
            return new Client(token, mediaTypes);
        }

        public Response get(String path) {
            return send(request(path).GET());
        }

        public Response delete(String path) {
            return send(request(path).DELETE());
        }

        public Response post(String path, Object body) {
            return postRaw(path, JSON.writeValueAsString(body));
        }

        public Response put(String path, Object body) {
            return send(request(path)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
        }

        public Response putRaw(String path, String json) {
            return send(request(path)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(json)));
        }

        public Response postRaw(String path, String json) {
            return send(request(path)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)));
        }

        /** A POST whose body is sent in chunks, without announcing its length. */
        public Response postChunked(String path, String json) {
            byte[] bytes = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return send(request(path)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes))));
        }

        private HttpRequest.Builder request(String path) {
            HttpRequest.Builder builder =
                    HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
            if (token != null) {
                builder.header("Authorization", "Bearer " + token);
            }
            if (accept != null) {
                builder.header("Accept", accept);
            }
            return builder;
        }

        private Response send(HttpRequest.Builder builder) {
            try {
                HttpResponse<String> response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
                JsonNode body = null;
                if (response.body() != null && !response.body().isBlank()) {
                    try {
                        body = JSON.readTree(response.body());
                    } catch (RuntimeException e) {
                        body = null;
                    }
                }
                return new Response(response.statusCode(), response, body);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Shorthand for request bodies. */
    public static Map<String, Object> body(Object... keysAndValues) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
