package org.erpchat.localstack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /dev/token} (JSON {@code {"user_id": 1, "name": "Alice"}}) or {@code GET /dev/token?user_id=1&name=Alice}
 * answers {@code {"token", "user_id", "name", "expires_at"}}. Listens on loopback only. The web app's login page calls
 * it; the browser may call it from the web app's origins (the gateway as {@code localhost} or {@code 127.0.0.1}).
 */
final class DevTokenServer implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final DevTokens tokens;
    private final List<String> allowedOrigins;

    DevTokenServer(int port, DevTokens tokens, List<String> allowedOrigins) {
        this.tokens = tokens;
        this.allowedOrigins = List.copyOf(allowedOrigins);
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port + " for the dev token issuer", e);
        }
        server.createContext("/dev/token", this::handle);
    }

    DevTokenServer start() {
        server.start();
        return this;
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String origin = exchange.getRequestHeaders().getFirst("Origin");
            if (origin != null && allowedOrigins.contains(origin)) {
                exchange.getResponseHeaders().add("Access-Control-Allow-Origin", origin);
            }
            exchange.getResponseHeaders().add("Vary", "Origin");
            exchange.getResponseHeaders().add("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
            exchange.getResponseHeaders().add("Access-Control-Allow-Headers", "Content-Type");
            exchange.getResponseHeaders().add("Cache-Control", "no-store");
            switch (exchange.getRequestMethod()) {
                case "OPTIONS" -> exchange.sendResponseHeaders(204, -1);
                case "GET" -> issue(exchange, queryParameters(exchange));
                case "POST" -> issue(exchange, bodyParameters(exchange));
                default -> respond(exchange, 405, Map.of("code", "method_not_allowed"));
            }
        }
    }

    private void issue(HttpExchange exchange, Map<String, String> parameters) throws IOException {
        long userId;
        try {
            userId = Long.parseLong(parameters.getOrDefault("user_id", ""));
            DevTokens.IssuedToken token = tokens.issue(userId, parameters.get("name"));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("token", token.token());
            body.put("user_id", token.userId());
            body.put("name", token.name());
            body.put("expires_at", token.expiresAt().toString());
            respond(exchange, 200, body);
        } catch (IllegalArgumentException e) {
            respond(
                    exchange,
                    400,
                    Map.of(
                            "code",
                            "invalid_request",
                            "detail",
                            "user_id must be a positive integer and name at most 100 characters"));
        }
    }

    private static Map<String, String> queryParameters(HttpExchange exchange) {
        Map<String, String> parameters = new HashMap<>();
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    parameters.put(
                            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return parameters;
    }

    private static Map<String, String> bodyParameters(HttpExchange exchange) throws IOException {
        Map<String, String> parameters = new HashMap<>();
        try (InputStream in = exchange.getRequestBody()) {
            JsonNode body = JSON.readTree(in.readNBytes(4096));
            if (body != null && body.isObject()) {
                body.properties()
                        .forEach(field ->
                                parameters.put(field.getKey(), field.getValue().asString()));
            }
        } catch (JacksonException e) {
            // An unreadable body simply lacks user_id; the caller gets a 400.
        }
        return parameters;
    }

    private static void respond(HttpExchange exchange, int status, Map<String, ?> body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
