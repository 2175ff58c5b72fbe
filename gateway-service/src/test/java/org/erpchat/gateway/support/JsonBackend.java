package org.erpchat.gateway.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.erpchat.gateway.config.GatewayProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * A real HTTP server on loopback that answers the paths a test names with fixed JSON, in place of message-service and
 * presence-service for a test of one class: the gateway's own HTTP clients call it as they call the services.
 */
public final class JsonBackend implements AutoCloseable {

    private final HttpServer server;
    private final List<Integer> clientPorts = new CopyOnWriteArrayList<>();

    private JsonBackend(HttpServer server) {
        this.server = server;
    }

    public static JsonBackend start() {
        return start(null);
    }

    /**
     * As {@link #start()}, with each request answered on a thread of its own: a test can keep some requests waiting
     * while others are answered.
     */
    public static JsonBackend startAnsweringConcurrently() {
        return start(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "json-backend");
            thread.setDaemon(true);
            return thread;
        }));
    }

    private static JsonBackend start(Executor executor) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(executor);
            server.start();
            return new JsonBackend(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where a Spring context finds this server: {@code http://host:port}. */
    public String url() {
        InetSocketAddress address = server.getAddress();
        String host = address.getAddress() instanceof Inet6Address
                ? "[" + address.getAddress().getHostAddress() + "]"
                : address.getAddress().getHostAddress();
        return "http://" + host + ":" + address.getPort();
    }

    /** Answers {@code path} (and the paths below it) with this JSON. */
    public JsonBackend answer(String path, String json) {
        return answer(path, () -> json);
    }

    /** Answers {@code path} with what {@code json} gives, called for each request (a test may act meanwhile). */
    public JsonBackend answer(String path, Supplier<String> json) {
        return answer(path, 200, json);
    }

    /** Answers {@code path} with this status and what {@code json} gives. */
    public JsonBackend answer(String path, int status, Supplier<String> json) {
        server.createContext(path, exchange -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            exchange.getRequestBody().readAllBytes();
            byte[] body = json.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders()
                    .set("Content-Type", status < 400 ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        return this;
    }

    /** The gateway's settings with both services at this server, and {@code more} ({@code key, value, ...}). */
    public GatewayProperties properties(String... more) {
        String url = url();
        Map<String, String> values = new HashMap<>();
        values.put("chat.gateway.message-service.base-url", url);
        values.put("chat.gateway.presence-service.base-url", url);
        for (int i = 0; i + 1 < more.length; i += 2) {
            values.put(more[i], more[i + 1]);
        }
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("chat.gateway", GatewayProperties.class);
    }

    /** The client's port of each request so far, in order: the same port twice is one connection kept. */
    public List<Integer> clientPorts() {
        return List.copyOf(clientPorts);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
