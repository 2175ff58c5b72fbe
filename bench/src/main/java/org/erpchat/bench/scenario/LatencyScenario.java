package org.erpchat.bench.scenario;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.erpchat.bench.report.Charts;
import org.erpchat.bench.report.Latency;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Scenario 1, end-to-end latency: {@code users} connected users in pairs, each pair a private conversation, messages
 * sent both ways at fixed total rates, through the REST API and through the WebSocket, each received by the
 * recipient's session. Latency runs from the intended send time to the recipient's socket. A rate the system cannot
 * sustain is cut short once the backlog exceeds {@code maxBacklogSeconds} of sends (at most
 * {@value #MAX_BACKLOG_MESSAGES} messages, so the drain stays short), and reported as saturated.
 *
 * @param rates messages per second to try, in order
 */
public record LatencyScenario(
        int users,
        List<Integer> rates,
        List<String> channels,
        double stepSeconds,
        double maxBacklogSeconds,
        double warmupSeconds)
        implements Scenario {

    /** Below what the development machine sustains, so the warm-up warms the JIT instead of building a backlog. */
    private static final double WARMUP_RATE = 100;

    private static final Duration STALL = Duration.ofSeconds(30);
    private static final long MAX_BACKLOG_MESSAGES = 10_000;

    @Override
    public String name() {
        return "latency";
    }

    @Override
    public ObjectNode run(Bench bench) {
        List<Long> users = bench.newUsers(users());
        bench.api().provision(users);
        ConnectOutcome connected = bench.connect(users, true, 100, 5);
        SendRoutes routes = new SendRoutes();
        for (int i = 0; i + 1 < users.size(); i += 2) {
            routes.toUser(users.get(i), users.get(i + 1)).toUser(users.get(i + 1), users.get(i));
        }
        // Warm-up, not recorded: creates every conversation, then runs both channels until the JIT compilers of every
        // JVM on the path have done most of their work (on 2 cores they take a third of the CPU for minutes after a
        // start, which would otherwise land in the first step's figures).
        bench.startSending(routes, true, 200, routes.size() / 200.0 + 1, "warm-create")
                .join();
        bench.startSending(routes, true, WARMUP_RATE, warmupSeconds / 2, "warm-rest")
                .join();
        bench.startSending(routes, false, WARMUP_RATE, warmupSeconds / 2, "warm-ws")
                .join();
        bench.awaitDeliveries(delivered -> false, Duration.ofSeconds(3));
        bench.stats(true);

        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("users", users.size())
                .put("conversations", users.size() / 2)
                .put("step_seconds", stepSeconds)
                .put("warmup_seconds", warmupSeconds);
        result.set("connect", connected.toJson());
        ArrayNode steps = result.putArray("steps");
        Map<String, Histogram> distributions = new LinkedHashMap<>();
        for (String channel : channels) {
            for (int rate : rates) {
                Step step = step(bench, routes, channel.equals("rest"), rate);
                steps.add(step.json());
                distributions.put(channel + " " + rate + "/s", step.latencyMicros());
            }
        }
        Charts.percentiles(
                "End-to-end latency, " + users.size()
                        + " connected users (REST or WebSocket send to recipient's socket)",
                distributions,
                bench.outputDir().resolve(name() + ".png"));
        return result;
    }

    private record Step(ObjectNode json, Histogram latencyMicros) {}

    private Step step(Bench bench, SendRoutes routes, boolean viaRest, int rate) {
        String channel = viaRest ? "rest" : "ws";
        // REST: the recipient and the sender's own session; WebSocket: the recipient.
        SendStep.Stream stream = new SendStep.Stream(channel, routes, viaRest, 1.0, viaRest ? 2 : 1);
        SendStep.Result result = SendStep.run(
                bench,
                List.of(stream),
                rate,
                stepSeconds,
                maxBacklogSeconds,
                channel + "-" + rate + "-" + System.nanoTime());
        ObjectNode step = JsonNodeFactory.instance.objectNode().put("channel", channel);
        step.setAll(result.json());
        System.out.printf(
                "latency %-4s %5d/s: sent %d, delivered %d, %s%s%n",
                channel,
                rate,
                step.path("sent").asLong(),
                step.path("delivered").asLong(),
                Latency.ofMicros(result.latencyMicros()),
                result.saturated() ? " (saturated)" : "");
        return new Step(step, result.latencyMicros());
    }

    static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
