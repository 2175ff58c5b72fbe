package org.erpchat.bench.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.erpchat.bench.measure.ProcessCpu;
import org.erpchat.bench.report.Charts;
import org.erpchat.bench.report.Latency;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Scenario 2, group fan-out: for each group size, a group whose members are all connected; {@code senders} of them
 * post over the WebSocket at rising rates, each step for {@code stepSeconds} (longer where needed for at least
 * {@value #MIN_MESSAGES_PER_STEP} messages). A step passes when every member received every message with p99 under
 * {@code p99LimitMillis}; the result is the highest passing rate in deliveries per second. Steps go on past the first
 * failure, so the plot shows the curve, until delivery falls behind or p99 exceeds ten times the limit.
 *
 * @param deliveryRates deliveries per second to try, in order (message rate = deliveries / (members - 1))
 */
public record FanOutScenario(
        List<Integer> groupSizes,
        List<Integer> deliveryRates,
        int senders,
        double stepSeconds,
        double p99LimitMillis,
        double warmupSeconds)
        implements Scenario {

    private static final double WARMUP_MESSAGES_PER_SECOND = 5;

    private static final int MIN_MESSAGES_PER_STEP = 10;

    @Override
    public String name() {
        return "fanout";
    }

    @Override
    public ObjectNode run(Bench bench) {
        ObjectNode result = JsonNodeFactory.instance.objectNode().put("p99_limit_ms", p99LimitMillis);
        ArrayNode groups = result.putArray("groups");
        Map<String, List<double[]>> chart = new LinkedHashMap<>();
        for (int size : groupSizes) {
            List<Long> members = bench.newUsers(size);
            bench.api().provision(members);
            long groupId = bench.api().createGroup(members.get(0), "fan-out " + size, members);
            bench.connect(members, true, 100, 5);
            SendRoutes routes = new SendRoutes();
            members.subList(0, Math.min(senders, size)).forEach(sender -> routes.toGroup(sender, groupId));
            // Warm-up, not recorded, then quiet: nothing of it may arrive during the first step.
            bench.startSending(routes, false, WARMUP_MESSAGES_PER_SECOND, warmupSeconds, "warm-" + groupId)
                    .join();
            bench.awaitDeliveries(delivered -> false, Duration.ofSeconds(3));
            bench.stats(true);

            ObjectNode group = groups.addObject().put("members", size).put("group_id", groupId);
            ArrayNode steps = group.putArray("steps");
            List<double[]> points = new ArrayList<>();
            double best = 0;
            for (int deliveryRate : deliveryRates) {
                double messageRate = (double) deliveryRate / (size - 1);
                ObjectNode step = step(bench, routes, size, messageRate);
                steps.add(step);
                double p99 = step.path("latency_ms").path("p99_ms").asDouble();
                points.add(new double[] {step.path("deliveries_per_second").asDouble(), p99});
                if (step.path("passed").asBoolean()) {
                    best = Math.max(best, step.path("deliveries_per_second").asDouble());
                }
                if (!step.path("complete").asBoolean() || p99 > 10 * p99LimitMillis) {
                    break;
                }
            }
            group.put("max_deliveries_per_second_with_p99_under_limit", best);
            chart.put(size + " members", points);
            bench.workers().callAll("close");
        }
        Charts.lines(
                "Group fan-out: p99 latency by delivery rate (red: " + (int) p99LimitMillis + " ms)",
                "deliveries per second",
                "p99 latency (ms)",
                chart,
                p99LimitMillis,
                bench.outputDir().resolve(name() + ".png"));
        return result;
    }

    private ObjectNode step(Bench bench, SendRoutes routes, int size, double messageRate) {
        long perMessage = size - 1; // every member's session but the sender's, which gets message_sent
        Map<String, Double> cpuBefore = bench.cpu();
        long start = System.nanoTime();
        double seconds = Math.max(stepSeconds, MIN_MESSAGES_PER_STEP / messageRate);
        long sent = bench.startSending(routes, false, messageRate, seconds, "fan-" + size + "-" + start).join().stream()
                .mapToLong(answer -> answer.path("sent").asLong())
                .sum();
        Totals totals = bench.awaitDeliveries(delivered -> delivered >= sent * perMessage, Duration.ofSeconds(20));
        double untilDelivered = (System.nanoTime() - start) / 1e9;
        Map<String, Double> cpu = ProcessCpu.difference(cpuBefore, bench.cpu());
        bench.stats(true);
        Latency latency = Latency.ofMicros(totals.latencyMicros());
        boolean complete = totals.delivered() == sent * perMessage && totals.duplicates() == 0;
        boolean passed = complete && latency.p99() < p99LimitMillis;
        double deliveriesPerSecond = LatencyScenario.round(sent * perMessage / seconds);
        System.out.printf(
                "fan-out %4d members, %6.0f deliveries/s: %s, delivered %d of %d%s%n",
                size, deliveriesPerSecond, latency, totals.delivered(), sent * perMessage, passed ? "" : " (fails)");
        ObjectNode step = JsonNodeFactory.instance
                .objectNode()
                .put("messages_per_second", LatencyScenario.round(messageRate))
                .put("deliveries_per_second", deliveriesPerSecond)
                .put("sent", sent)
                .put("expected_deliveries", sent * perMessage)
                .put("step_seconds", LatencyScenario.round(seconds))
                .put("seconds_until_delivered", LatencyScenario.round(untilDelivered))
                .put("complete", complete)
                .put("passed", passed);
        step.set("latency_ms", latency.toJson());
        step.setAll(totals.countersJson());
        step.set("cpu", Bench.cpuJson(cpu, totals.delivered()));
        return step;
    }
}
