package org.erpchat.localstack;

import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.erpchat.infra.embedded.FreePort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Local stacks for tests: free ports, a data directory of the test's own, and the services' executable jars (whose
 * paths Maven passes as {@code chat.test.jar.<module>}) copied out of the build, so that a rebuild running at the same
 * time cannot swap a jar under a starting service.
 */
final class TestStacks {

    static final List<String> SERVICES = List.of("message-service", "presence-service", "gateway-service");
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Path repositoryRoot;

    private TestStacks() {}

    /** A repository root holding copies of the three executable jars, laid out where LocalStack looks for them. */
    static synchronized Path repositoryRoot() {
        if (repositoryRoot == null) {
            try {
                Path root = Files.createTempDirectory("local-stack-jars");
                for (String module : SERVICES) {
                    Path target = Files.createDirectories(root.resolve(module).resolve("target"));
                    Files.copy(serviceJar(module), target.resolve(module + "-exec.jar"), REPLACE_EXISTING);
                }
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(root)));
                repositoryRoot = root;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return repositoryRoot;
    }

    static Path serviceJar(String module) {
        String property = System.getProperty("chat.test.jar." + module, "");
        Path jar = property.isBlank() || property.startsWith("${") ? null : Path.of(property);
        if (jar == null || !Files.isRegularFile(jar)) {
            throw new IllegalStateException("No executable jar of " + module + " ('" + property
                    + "'): run these tests through Maven, e.g. ./mvnw -pl local-stack -am verify");
        }
        return jar;
    }

    /** Settings for a stack on free ports with its data in {@code dataDir}. */
    static LocalStackSettings settings(Path dataDir) {
        int[] ports = distinctFreePorts(7);
        return LocalStackSettings.fromEnvironment(repositoryRoot(), environment(dataDir))
                .withPorts(ports[0], ports[1], ports[2], ports[3], ports[4], ports[5], ports[6]);
    }

    private static int[] distinctFreePorts(int count) {
        java.util.Set<Integer> ports = new java.util.LinkedHashSet<>();
        while (ports.size() < count) {
            ports.add(FreePort.find());
        }
        return ports.stream().mapToInt(Integer::intValue).toArray();
    }

    static Map<String, String> environment(Path dataDir) {
        return Map.of("CHAT_DATA_DIR", dataDir.toString(), "CHAT_STARTUP_TIMEOUT_SECONDS", "300");
    }

    /**
     * Starts the stack; if a service does not come up, the failure carries the end of each service's log (the data
     * directory, logs included, is a temporary one that JUnit deletes).
     */
    static LocalStack start(LocalStack stack, LocalStackSettings settings) {
        try {
            return stack.start();
        } catch (RuntimeException e) {
            StringBuilder logs = new StringBuilder(e.getMessage());
            for (String module : SERVICES) {
                Path log = settings.dataDir().resolve("logs").resolve(module + ".log");
                try {
                    List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
                    logs.append("\n---- last lines of ")
                            .append(module)
                            .append(".log ----\n")
                            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
                } catch (IOException | UncheckedIOException io) {
                    logs.append("\n(cannot read ").append(log).append(")");
                }
            }
            throw new IllegalStateException(logs.toString(), e);
        }
    }

    /** A development token from the stack's token issuer, over HTTP as the web app gets one. */
    static String devToken(LocalStack stack, long userId, String name) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(stack.devTokenUrl()))
                        .POST(HttpRequest.BodyPublishers.ofString(
                                JSON.writeValueAsString(Map.of("user_id", userId, "name", name))))
                        .header("Content-Type", "application/json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("token issuer answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body()).get("token").asString();
    }

    static HttpResponse<String> get(String url, String token) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String url, String token, Object body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(String body) {
        return JSON.readTree(body);
    }

    static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort, temporary files only
        }
    }
}
