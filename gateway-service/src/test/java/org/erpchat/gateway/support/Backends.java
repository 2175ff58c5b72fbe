package org.erpchat.gateway.support;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.erpchat.infra.embedded.FreePort;
import org.erpchat.infra.embedded.JavaServiceProcess;
import org.erpchat.testsupport.ChatInfrastructure;
import org.erpchat.testsupport.SharedInfrastructure;
import org.erpchat.testsupport.TestTokens;
import tools.jackson.databind.JsonNode;

/**
 * The real message-service and presence-service, each a separate process started from its executable jar and
 * connected to the test JVM's shared servers; started once per test JVM, before the first gateway context, whose
 * {@code test.message-service.url} and {@code test.presence-service.url} point at them.
 */
public final class Backends {

    private static volatile Backends instance;

    private final JavaServiceProcess messageService;
    private final JavaServiceProcess presenceService;
    private final HttpClient http = HttpClient.newHttpClient();

    private Backends(ChatInfrastructure infrastructure) throws Exception {
        Path logs = Files.createDirectories(Path.of("target", "backend-logs"));
        Map<String, String> common = new HashMap<>(infrastructure.springProperties());
        common.put("logging.level.root", "WARN");
        common.put("logging.level.org.erpchat", "INFO");
        Map<String, String> environment = Map.of("CHAT_SECURITY_JWT_SECRET", TestTokens.SECRET);
        // Tests favour start-up time (C1 only); benchmarks set backends.jvm to the production-like "-Xmx512m".
        List<String> jvm =
                List.of(System.getProperty("backends.jvm", "-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1")
                        .trim()
                        .split("\\s+"));
        Map<String, String> message = new HashMap<>(common);
        // The replay tests send a thousand messages in seconds; the per-user limit has its own tests in
        // message-service.
        message.put("chat.message.rate-limit.capacity", "100000");
        message.put("chat.message.rate-limit.refill-tokens", "100000");
        Map<String, String> presence = new HashMap<>(common);
        presence.put("chat.presence.session-ttl", "10s");
        presence.put("chat.presence.sweep-interval", "500ms");
        presence.put("chat.presence.offline-grace", "500ms");
        CompletableFuture<JavaServiceProcess> messageStarting = CompletableFuture.supplyAsync(
                () -> startOnAFreePort("message-service", logs, jvm, message, environment));
        CompletableFuture<JavaServiceProcess> presenceStarting = CompletableFuture.supplyAsync(
                () -> startOnAFreePort("presence-service", logs, jvm, presence, environment));
        try {
            CompletableFuture.allOf(messageStarting, presenceStarting).join();
        } catch (RuntimeException e) {
            // Leave no process behind when only one of them came up.
            messageStarting.thenAccept(JavaServiceProcess::stop);
            presenceStarting.thenAccept(JavaServiceProcess::stop);
            throw e;
        }
        messageService = messageStarting.join();
        presenceService = presenceStarting.join();
        SharedInfrastructure.beforeShutdown(() -> {
            presenceService.stop();
            messageService.stop();
        });
    }

    /**
     * A free port can be taken by someone else between looking and binding; then the service exits at once and is
     * started again on another one.
     */
    private static JavaServiceProcess startOnAFreePort(
            String module,
            Path logs,
            List<String> jvm,
            Map<String, String> properties,
            Map<String, String> environment) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            JavaServiceProcess process = new JavaServiceProcess(
                    module, jar(module), FreePort.find(), logs.resolve(module + ".log"), jvm, properties, environment);
            try {
                process.start().awaitReady(Duration.ofMinutes(3));
                return process;
            } catch (RuntimeException e) {
                process.stop();
                last = e;
            }
        }
        throw last;
    }

    /** Starts both services unless they run. */
    public static Backends get() {
        Backends current = instance;
        if (current == null) {
            synchronized (Backends.class) {
                current = instance;
                if (current == null) {
                    try {
                        current = new Backends(SharedInfrastructure.get());
                    } catch (Exception e) {
                        throw new IllegalStateException("could not start the backend services: " + e.getMessage(), e);
                    }
                    instance = current;
                }
            }
        }
        return current;
    }

    public String messageServiceUrl() {
        return messageService.baseUrl();
    }

    public String presenceServiceUrl() {
        return presenceService.baseUrl();
    }

    /** Makes users known to message-service, as the ERP does ahead of their first visit. */
    public void provision(long... userIds) {
        String admin = TestTokens.withClaims(
                Map.of("sub", "1", "scope", "chat.admin"), Instant.now().plus(Duration.ofHours(1)));
        for (long id : userIds) {
            call("PUT", "/api/admin/users/" + id, admin, "{\"display_name\":\"User " + id + "\"}");
        }
    }

    /** Creates a group owned by {@code owner} and returns its id. */
    public long createGroup(long owner, String name, long... members) {
        String ids =
                String.join(",", Arrays.stream(members).mapToObj(Long::toString).toList());
        JsonNode group = call(
                "POST",
                "/api/groups",
                TestTokens.forUser(owner),
                "{\"name\":\"" + name + "\",\"member_ids\":[" + ids + "]}");
        return group.path("id").asLong();
    }

    /** Sends a private message over REST, as the ERP's own screens may. */
    public JsonNode sendPrivate(long sender, long receiver, String content, String clientMsgId) {
        return call(
                "POST",
                "/api/messages/private",
                TestTokens.forUser(sender),
                "{\"receiver_id\":" + receiver + ",\"content\":\"" + content + "\",\"client_msg_id\":\"" + clientMsgId
                        + "\"}");
    }

    /** Sends a group message over REST; the content may hold anything (it is written as JSON, escaped). */
    public JsonNode sendGroup(long sender, long group, String content, String clientMsgId) {
        return call(
                "POST",
                "/api/messages/group",
                TestTokens.forUser(sender),
                WsTestClient.JSON.writeValueAsString(
                        Map.of("group_id", group, "content", content, "client_msg_id", clientMsgId)));
    }

    public JsonNode call(String method, String path, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(messageService.baseUrl() + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(
                        method + " " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body().isEmpty() ? null : WsTestClient.JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path jar(String module) {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.contains(module) && entry.endsWith("-exec.jar"))
                .map(Path::of)
                .findFirst()
                .orElseThrow(
                        () -> new IllegalStateException(module + "'s executable jar is not on the test class path"));
    }
}
