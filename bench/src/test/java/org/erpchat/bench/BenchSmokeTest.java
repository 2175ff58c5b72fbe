package org.erpchat.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.erpchat.bench.system.ChatApi;
import org.erpchat.bench.system.Target;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Runs the generator's smoke suite (a few seconds of every scenario) against a whole local stack, started as
 * {@code ./run-local.sh} starts it, and checks correctness only: every message delivered exactly once, the replay
 * complete, nothing lost or duplicated by the reconnect storm, every report and plot written. Speed is not checked:
 * that is what the benchmarks are for.
 */
class BenchSmokeTest {

    private static final String SECRET = "bench-smoke-test-secret-0123456789abcdef";

    @TempDir
    static Path work;

    private static Process stack;
    private static Target target;
    private static Path results;
    private static boolean suitePassed;

    @BeforeAll
    static void startStackAndRunSmokeSuite() throws Exception {
        List<Integer> ports = freePorts(7);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CHAT_DATA_DIR", work.resolve("stack").toString());
        env.put("CHAT_GATEWAY_PORT", ports.get(0).toString());
        env.put("CHAT_MESSAGE_PORT", ports.get(1).toString());
        env.put("CHAT_PRESENCE_PORT", ports.get(2).toString());
        env.put("CHAT_DEV_TOKEN_PORT", ports.get(3).toString());
        env.put("CHAT_KAFKA_PORT", ports.get(4).toString());
        env.put("CHAT_POSTGRES_PORT", ports.get(5).toString());
        env.put("CHAT_REDIS_PORT", ports.get(6).toString());
        env.put("CHAT_JWT_SECRET", SECRET);
        env.put("CHAT_STARTUP_TIMEOUT_SECONDS", "300");
        Path log = work.resolve("stack.log");
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Dchat.repository-root=" + System.getProperty("chat.test.repository-root"),
                        "-jar",
                        localStackJar().toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        stack = builder.start();
        await("the local stack to start (log: " + log + ")")
                .atMost(Duration.ofMinutes(6))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    String output = Files.readString(log);
                    if (!stack.isAlive()) {
                        throw new IllegalStateException("the local stack stopped:\n" + output);
                    }
                    return output.contains("ERP Chat is running");
                });
        target = new Target(
                URI.create("http://localhost:" + ports.get(0)), URI.create("http://localhost:" + ports.get(1)), SECRET);
        results = work.resolve("results");
        suitePassed = BenchMain.run(target, Suites.of("smoke", List.of()), 2, results, "smoke");
    }

    @AfterAll
    static void stopStack() throws InterruptedException {
        if (stack != null) {
            stack.destroy(); // SIGTERM: the launcher stops the services and servers it started
            if (!stack.waitFor(2, TimeUnit.MINUTES)) {
                stack.destroyForcibly();
            }
        }
    }

    @Test
    void everyScenarioRanAndWroteItsFiguresAndPlot() throws IOException {
        assertThat(suitePassed).as("no scenario threw").isTrue();
        for (String scenario : List.of("latency", "pipeline", "fanout", "replay", "storm")) {
            assertThat(report(scenario).has("error")).as(scenario + " error").isFalse();
            assertThat(Files.size(results.resolve(scenario + ".png")))
                    .as(scenario + " plot")
                    .isPositive();
        }
        assertThat(report("summary").path("machine").path("cores").asInt()).isPositive();
    }

    @Test
    void latencyStepsDeliverEveryMessageOnceToItsRecipient() throws IOException {
        JsonNode latency = report("latency");
        assertThat(latency.path("connect").path("failed").asLong()).isZero();
        assertThat(latency.path("steps")).hasSize(2);
        for (JsonNode step : latency.path("steps")) {
            assertThat(step.path("sent").asLong())
                    .as(step.path("channel").asString())
                    .isPositive();
            assertThat(step.path("delivered").asLong())
                    .isEqualTo(step.path("expected_deliveries").asLong());
            assertThat(step.path("duplicates").asLong()).isZero();
            assertThat(step.path("gaps").asLong()).isZero();
            assertThat(step.path("latency_ms").path("count").asLong())
                    .isEqualTo(step.path("sent").asLong());
            assertThat(step.path("cpu").path("seconds").has("gateway")).isTrue();
        }
    }

    @Test
    void theMixedSendPathDeliversEveryMessageOnceOverEveryRoute() throws IOException {
        JsonNode pipeline = report("pipeline");
        assertThat(pipeline.path("connect").path("failed").asLong()).isZero();
        assertThat(pipeline.path("groups").asInt()).isPositive();
        List<JsonNode> steps = new ArrayList<>();
        steps.add(pipeline.path("sustained"));
        pipeline.path("ladder").forEach(steps::add);
        assertThat(steps).hasSize(2);
        for (JsonNode step : steps) {
            for (String stream : List.of("private-rest", "private-ws", "group-rest", "group-ws")) {
                assertThat(step.path("sent_by_stream").path(stream).asLong())
                        .as(stream)
                        .isPositive();
            }
            assertThat(step.path("delivered").asLong())
                    .isEqualTo(step.path("expected_deliveries").asLong());
            assertThat(step.path("duplicates").asLong()).isZero();
            assertThat(step.path("gaps").asLong()).isZero();
            assertThat(step.path("message_errors").isEmpty()).isTrue();
            assertThat(step.path("cpu_per_message").path("total").asDouble()).isPositive();
        }
    }

    @Test
    void groupFanOutReachesEveryOtherMemberOnce() throws IOException {
        JsonNode step = report("fanout").path("groups").get(0).path("steps").get(0);
        assertThat(step.path("expected_deliveries").asLong())
                .isEqualTo(step.path("sent").asLong() * 9);
        assertThat(step.path("delivered").asLong())
                .isEqualTo(step.path("expected_deliveries").asLong());
        assertThat(step.path("duplicates").asLong()).isZero();
    }

    @Test
    void aResumingClientReceivesEveryMissedMessageOnceInOrderWhileOthersTalk() throws IOException {
        JsonNode run = report("replay").path("runs").get(0);
        assertThat(run.path("all_received_once_in_order").asBoolean()).isTrue();
        assertThat(run.path("live_before").path("sent").asLong()).isPositive();
        // The second attempt resumes from the positions the first started from: the same 200 again, not none.
        assertThat(run.path("attempts")).hasSize(2);
        for (JsonNode attempt : run.path("attempts")) {
            assertThat(attempt.path("received").asLong()).isEqualTo(200);
            assertThat(attempt.path("duplicates").asLong()).isZero();
            assertThat(attempt.path("gaps").asLong()).isZero();
            assertThat(attempt.path("cpu").path("seconds").path("gateway").asDouble())
                    .isPositive();
            // The attempt's CPU beyond the live pairs' baseline rate: never more than all of it.
            assertThat(attempt.path("replay_cpu").path("seconds").has("gateway"))
                    .isTrue();
            assertThat(attempt.path("replay_cpu")
                            .path("seconds")
                            .path("gateway")
                            .asDouble())
                    .isBetween(
                            0.0,
                            attempt.path("cpu").path("seconds").path("gateway").asDouble());
            JsonNode live = attempt.path("live_during"); // a 200-message replay may be over before a send
            assertThat(live.has("latency_ms")).isTrue();
            assertThat(live.path("delivered").asLong())
                    .isEqualTo(live.path("sent").asLong());
            assertThat(live.path("duplicates").asLong()).isZero();
        }
        JsonNode before = run.path("live_before");
        assertThat(before.path("cpu").path("seconds").path("gateway").asDouble())
                .isPositive();
        assertThat(run.has("replay_cpu_us_per_message")).isTrue();
        assertThat(before.path("delivered").asLong())
                .isEqualTo(before.path("sent").asLong());
        assertThat(before.path("duplicates").asLong()).isZero();
    }

    @Test
    void theReconnectStormLosesAndDuplicatesNothing() throws IOException {
        JsonNode storm = report("storm");
        assertThat(storm.path("dropped").asLong()).isEqualTo(40);
        assertThat(storm.path("resumed").asLong()).isEqualTo(40);
        assertThat(storm.path("sent").asLong()).isPositive();
        assertThat(storm.path("messages_lost").asLong()).isZero();
        assertThat(storm.path("messages_duplicated").asLong()).isZero();
        assertThat(storm.path("gaps_seen").asLong()).isZero();
    }

    private static JsonNode report(String name) throws IOException {
        return ChatApi.JSON.readTree(Files.readString(results.resolve(name + ".json")));
    }

    private static Path localStackJar() {
        String property = System.getProperty("chat.test.jar.local-stack", "");
        Path jar = property.isBlank() || property.startsWith("${") ? null : Path.of(property);
        if (jar == null || !Files.isRegularFile(jar)) {
            throw new IllegalStateException("No executable jar of local-stack ('" + property
                    + "'): run this test through Maven, e.g. ./mvnw -pl bench -am verify");
        }
        return jar;
    }

    private static List<Integer> freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
