package org.erpchat.bench.scenario;

import java.time.Duration;
import java.util.ArrayList;
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
 * Scenario 6, the send path under a company's mix (issue 12): {@code users} connected users; 80 % of the messages go
 * between pairs of them (private), 20 % to groups of {@code groupSize} of the others; half of each are sent through
 * the REST API and half over the sender's WebSocket, all at the same time. A sustained step at
 * {@code sustainedRate} for {@code sustainedSeconds} (the headline: p99 and p99.9 send-to-recipient, CPU per message
 * by process), then steps of {@code stepSeconds} at each rate of {@code ladder} until one saturates: the saturation
 * point.
 */
public record PipelineScenario(
        int users,
        int groupSize,
        int sustainedRate,
        double sustainedSeconds,
        List<Integer> ladder,
        double stepSeconds,
        double maxBacklogSeconds,
        double warmupSeconds)
        implements Scenario {

    private static final double PRIVATE_SHARE = 0.8;
    private static final double WARMUP_RATE = 100;

    @Override
    public String name() {
        return "pipeline";
    }

    @Override
    public ObjectNode run(Bench bench) {
        List<Long> users = bench.newUsers(users());
        bench.api().provision(users);
        ConnectOutcome connected = bench.connect(users, true, 100, 5);
        int inGroups = users.size() / 5 / groupSize * groupSize;
        List<Long> pairs = users.subList(0, users.size() - inGroups);
        List<Long> grouped = users.subList(users.size() - inGroups, users.size());
        SendRoutes privateRoutes = new SendRoutes();
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            privateRoutes.toUser(pairs.get(i), pairs.get(i + 1)).toUser(pairs.get(i + 1), pairs.get(i));
        }
        SendRoutes groupRoutes = new SendRoutes();
        for (int i = 0; i + groupSize <= grouped.size(); i += groupSize) {
            List<Long> members = grouped.subList(i, i + groupSize);
            long groupId = bench.api().createGroup(members.get(0), "pipeline " + i, members);
            members.forEach(member -> groupRoutes.toGroup(member, groupId));
        }
        List<SendStep.Stream> streams = List.of(
                // A REST send also reaches the sender's own session; a WebSocket send is acknowledged to it instead.
                new SendStep.Stream("private-rest", privateRoutes, true, PRIVATE_SHARE / 2, 2),
                new SendStep.Stream("private-ws", privateRoutes, false, PRIVATE_SHARE / 2, 1),
                new SendStep.Stream("group-rest", groupRoutes, true, (1 - PRIVATE_SHARE) / 2, groupSize),
                new SendStep.Stream("group-ws", groupRoutes, false, (1 - PRIVATE_SHARE) / 2, groupSize - 1));

        // Warm-up, not recorded: creates the private conversations, then lets the JIT compilers of every JVM on the
        // path do most of their work.
        bench.startSending(privateRoutes, true, 200, privateRoutes.size() / 200.0 + 1, "pipe-create")
                .join();
        SendStep.run(bench, streams, (int) WARMUP_RATE, warmupSeconds, maxBacklogSeconds, "pipe-warm");
        bench.awaitDeliveries(delivered -> false, Duration.ofSeconds(3));
        bench.stats(true);

        ObjectNode result = JsonNodeFactory.instance
                .objectNode()
                .put("users", users.size())
                .put("private_conversations", pairs.size() / 2)
                .put("groups", inGroups / groupSize)
                .put("group_size", groupSize)
                .put("private_share", PRIVATE_SHARE)
                .put("rest_share", 0.5)
                .put("warmup_seconds", warmupSeconds);
        result.set("connect", connected.toJson());
        Map<String, Histogram> distributions = new LinkedHashMap<>();

        SendStep.Result sustained = step(bench, streams, sustainedRate, sustainedSeconds, "sustained");
        result.set("sustained", sustained.json());
        distributions.put(sustainedRate + "/s for " + (int) sustainedSeconds + " s", sustained.latencyMicros());

        ArrayNode steps = result.putArray("ladder");
        List<Integer> kept = new ArrayList<>();
        for (int rate : ladder) {
            SendStep.Result step = step(bench, streams, rate, stepSeconds, "ladder");
            steps.add(step.json());
            distributions.put(rate + "/s", step.latencyMicros());
            if (step.saturated()) {
                break;
            }
            kept.add(rate);
        }
        result.put("highest_unsaturated_rate", kept.isEmpty() ? 0 : kept.get(kept.size() - 1));
        Charts.percentiles(
                "Send path, " + users.size() + " connected users (80 % private, 20 % groups of " + groupSize
                        + "; half REST, half WebSocket)",
                distributions,
                bench.outputDir().resolve(name() + ".png"));
        return result;
    }

    private SendStep.Result step(Bench bench, List<SendStep.Stream> streams, int rate, double seconds, String label) {
        SendStep.Result result = SendStep.run(
                bench,
                streams,
                rate,
                seconds,
                maxBacklogSeconds,
                "pipe-" + label + "-" + rate + "-" + System.nanoTime());
        ObjectNode cpu = (ObjectNode) result.json().path("cpu_per_message");
        System.out.printf(
                "pipeline %-9s %5d/s for %.0f s: sent %d, delivered %d, %s, %.2f ms CPU per message%s%n",
                label,
                rate,
                seconds,
                result.json().path("sent").asLong(),
                result.json().path("delivered").asLong(),
                Latency.ofMicros(result.latencyMicros()),
                cpu.path("total").asDouble(),
                result.saturated() ? " (saturated)" : "");
        return result;
    }
}
