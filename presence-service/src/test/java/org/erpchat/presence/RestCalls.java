package org.erpchat.presence;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.erpchat.testsupport.TestTokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP calls to the running service. */
final class RestCalls {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Response(int status, String contentType, String wwwAuthenticate, JsonNode body, String text) {}

    private RestCalls() {}

    static Response get(int port, String path, String token) {
        return send(port, path, token, null);
    }

    /** A GET whose answer is not JSON. */
    static Response getText(int port, String path) {
        return send(port, path, null, null, false);
    }

    static Response post(int port, String path, String token, String json) {
        return send(port, path, token, json);
    }

    /** Any method, any content type (null: no body). */
    static Response request(int port, String method, String path, String token, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request, true);
    }

    static List<Long> onlineUsers(int port, long asUser) {
        Response response = get(port, "/api/presence/online", TestTokens.forUser(asUser));
        if (response.status() != 200) {
            throw new IllegalStateException("GET /api/presence/online answered " + response);
        }
        List<Long> ids = new ArrayList<>();
        response.body().get("user_ids").forEach(id -> ids.add(id.asLong()));
        return ids;
    }

    private static Response send(int port, String path, String token, String json) {
        return send(port, path, token, json, true);
    }

    private static Response send(int port, String path, String token, String json, boolean parse) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        }
        return send(request, parse);
    }

    private static Response send(HttpRequest.Builder request, boolean parse) {
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            return new Response(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(null),
                    response.headers().firstValue("WWW-Authenticate").orElse(null),
                    !parse || body == null || body.isBlank() ? null : JSON.readTree(body),
                    body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
