package org.erpchat.bench.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.HdrHistogram.Histogram;
import org.erpchat.bench.measure.ProcessCpu;
import org.erpchat.bench.report.Latency;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One open-loop step of sends at a fixed total rate over one or more streams at once, measured to the recipients'
 * sockets. A rate the system cannot sustain is cut short once the backlog exceeds {@code maxBacklogSeconds} of
 * deliveries (at most {@value #MAX_BACKLOG_MESSAGES} messages' worth, so the drain stays short), and reported as
 * saturated. Its deliveries are still waited for and counted.
 */
final class SendStep {

    private static final Duration STALL = Duration.ofSeconds(30);
    private static final long MAX_BACKLOG_MESSAGES = 10_000;

    /**
     * Routes sent over one channel, with {@code share} of the step's rate, each message delivered
     * {@code deliveriesPerMessage} times (recipients, plus the sender's own session for a REST send).
     */
    record Stream(String name, SendRoutes routes, boolean viaRest, double share, double deliveriesPerMessage) {}

    /** The step's JSON and its latency distribution (microseconds). */
    record Result(ObjectNode json, Histogram latencyMicros, boolean saturated) {}

    private SendStep() {}

    static Result run(
            Bench bench, List<Stream> streams, int rate, double seconds, double maxBacklogSeconds, String tag) {
        double deliveriesPerSecond = streams.stream()
                .mapToDouble(s -> rate * s.share() * s.deliveriesPerMessage())
                .sum();
        Map<String, Double> cpuBefore = bench.cpu();
        long start = System.nanoTime();
        List<CompletableFuture<List<JsonNode>>> sending = new ArrayList<>();
        for (Stream stream : streams) {
            sending.add(bench.startSending(
                    stream.routes(), stream.viaRest(), rate * stream.share(), seconds, tag + "-" + stream.name()));
        }
        double maxBacklog = Math.min(maxBacklogSeconds * rate, MAX_BACKLOG_MESSAGES) * deliveriesPerSecond / rate;
        boolean saturated = false;
        while (!sending.stream().allMatch(CompletableFuture::isDone)) {
            Bench.pause(Duration.ofSeconds(1));
            double elapsed = (System.nanoTime() - start) / 1e9;
            double due = Math.min(elapsed, seconds) * deliveriesPerSecond;
            if (!saturated && due - bench.stats(false).delivered() > maxBacklog) {
                saturated = true;
                bench.stopSending();
            }
        }
        long sent = 0;
        double expected = 0;
        ObjectNode sentByStream = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < streams.size(); i++) {
            long streamSent = sending.get(i).join().stream()
                    .mapToLong(answer -> answer.path("sent").asLong())
                    .sum();
            sent += streamSent;
            expected += streamSent * streams.get(i).deliveriesPerMessage();
            sentByStream.put(streams.get(i).name(), streamSent);
        }
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        long expectedDeliveries = Math.round(expected);
        Totals totals = bench.awaitDeliveries(delivered -> delivered >= expectedDeliveries, STALL);
        double totalSeconds = (System.nanoTime() - start) / 1e9;
        Map<String, Double> cpu = ProcessCpu.difference(cpuBefore, bench.cpu());
        bench.stats(true);
        Latency latency = Latency.ofMicros(totals.latencyMicros());
        ObjectNode json = JsonNodeFactory.instance
                .objectNode()
                .put("rate", rate)
                .put("sent", sent)
                .put("expected_deliveries", expectedDeliveries)
                .put("saturated", saturated)
                .put("send_seconds", LatencyScenario.round(sendSeconds))
                .put("seconds_until_delivered", LatencyScenario.round(totalSeconds))
                .put("messages_per_second", LatencyScenario.round(sent / sendSeconds))
                .put("delivered_per_second", LatencyScenario.round(totals.delivered() / totalSeconds));
        if (streams.size() > 1) {
            json.set("sent_by_stream", sentByStream);
        }
        json.set("latency_ms", latency.toJson());
        json.setAll(totals.countersJson());
        json.set("cpu", Bench.cpuJson(cpu, totals.delivered()));
        json.set("cpu_per_message", cpuPerMessage(cpu, sent));
        return new Result(json, totals.latencyMicros(), saturated);
    }

    /** CPU milliseconds per message sent, per component and in all. */
    private static ObjectNode cpuPerMessage(Map<String, Double> cpu, long sent) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        if (sent == 0) {
            return json;
        }
        double total = 0;
        for (Map.Entry<String, Double> entry : cpu.entrySet()) {
            json.put(entry.getKey(), Math.round(entry.getValue() * 1e6 / sent) / 1000.0);
            total += entry.getValue();
        }
        json.put("total", Math.round(total * 1e6 / sent) / 1000.0);
        return json;
    }
}
