package org.erpchat.bench.report;

import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * The headline figures of a run as Markdown tables ({@code summary.md}), ready to compare with docs/benchmarks.md.
 * Reads the same JSON the scenarios wrote; a scenario that did not run, or failed, is left out or says so.
 */
public final class SummaryMarkdown {

    private SummaryMarkdown() {}

    public static String of(JsonNode summary) {
        StringBuilder md = new StringBuilder();
        JsonNode machine = summary.path("machine");
        md.append("# Benchmark run: ").append(summary.path("suite").asString()).append("\n\n");
        md.append(String.format(
                Locale.ROOT,
                "Machine: %d cores (%s), %.1f GiB, %s, %s; %d load-generator processes.%n%n",
                machine.path("cores").asInt(),
                machine.path("cpu").asString("?"),
                machine.path("memory_gib").asDouble(),
                machine.path("java").asString(),
                machine.path("os").asString(),
                machine.path("load_generator_processes").asInt()));
        latency(summary.path("latency"), md);
        pipeline(summary.path("pipeline"), md);
        fanOut(summary.path("fanout"), md);
        replay(summary.path("replay"), md);
        storm(summary.path("storm"), md);
        connections(summary.path("connections"), md);
        return md.toString();
    }

    private static void latency(JsonNode latency, StringBuilder md) {
        if (latency.isMissingNode() || latency.has("error")) {
            return;
        }
        md.append("## End-to-end latency (")
                .append(latency.path("users").asInt())
                .append(" connected users)\n\n");
        md.append("| send via | offered/s | sent | delivered/s | p50 ms | p99 ms | p99.9 ms | max ms | saturated |\n");
        md.append("|---|---|---|---|---|---|---|---|---|\n");
        for (JsonNode step : latency.path("steps")) {
            JsonNode ms = step.path("latency_ms");
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %s |%n",
                    step.path("channel").asString().equals("ws") ? "WebSocket" : "REST",
                    step.path("rate").asInt(),
                    step.path("sent").asLong(),
                    step.path("delivered_per_second").asDouble(),
                    ms.path("p50_ms").asDouble(),
                    ms.path("p99_ms").asDouble(),
                    ms.path("p99_9_ms").asDouble(),
                    ms.path("max_ms").asDouble(),
                    step.path("saturated").asBoolean() ? "yes" : "no"));
        }
        md.append('\n');
        cpuTable(
                latency.path("steps"),
                "send via / rate",
                step -> step.path("channel").asString() + " "
                        + step.path("rate").asInt() + "/s",
                md);
    }

    private static void pipeline(JsonNode pipeline, StringBuilder md) {
        if (pipeline.isMissingNode() || pipeline.has("error")) {
            return;
        }
        md.append(String.format(
                Locale.ROOT,
                "## Send path (%d connected users; 80 %% private, 20 %% groups of %d; half REST, half WebSocket)%n%n",
                pipeline.path("users").asInt(),
                pipeline.path("group_size").asInt()));
        java.util.List<JsonNode> steps = new java.util.ArrayList<>();
        steps.add(pipeline.path("sustained"));
        pipeline.path("ladder").forEach(steps::add);
        md.append(
                "| step | offered/s | sent/s | p50 ms | p99 ms | p99.9 ms | max ms | CPU ms per message | saturated |\n");
        md.append("|---|---|---|---|---|---|---|---|---|\n");
        for (JsonNode step : steps) {
            JsonNode ms = step.path("latency_ms");
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %.2f | %s |%n",
                    step == steps.get(0)
                            ? "sustained "
                                    + Math.round(step.path("send_seconds").asDouble()) + " s"
                            : "ladder",
                    step.path("rate").asInt(),
                    step.path("messages_per_second").asDouble(),
                    ms.path("p50_ms").asDouble(),
                    ms.path("p99_ms").asDouble(),
                    ms.path("p99_9_ms").asDouble(),
                    ms.path("max_ms").asDouble(),
                    step.path("cpu_per_message").path("total").asDouble(),
                    step.path("saturated").asBoolean() ? "yes" : "no"));
        }
        md.append('\n');
        cpuTable(steps, "rate", step -> step.path("rate").asInt() + "/s", md);
    }

    private static void fanOut(JsonNode fanOut, StringBuilder md) {
        if (fanOut.isMissingNode() || fanOut.has("error")) {
            return;
        }
        md.append("## Group fan-out (p99 limit ")
                .append(fanOut.path("p99_limit_ms").asInt())
                .append(" ms)\n\n");
        md.append(
                "| members | deliveries/s | p50 ms | p99 ms | max ms | all delivered | passes |\n|---|---|---|---|---|---|---|\n");
        for (JsonNode group : fanOut.path("groups")) {
            for (JsonNode step : group.path("steps")) {
                JsonNode ms = step.path("latency_ms");
                md.append(String.format(
                        Locale.ROOT,
                        "| %d | %.0f | %.1f | %.1f | %.1f | %s | %s |%n",
                        group.path("members").asInt(),
                        step.path("deliveries_per_second").asDouble(),
                        ms.path("p50_ms").asDouble(),
                        ms.path("p99_ms").asDouble(),
                        ms.path("max_ms").asDouble(),
                        step.path("complete").asBoolean() ? "yes" : "no",
                        step.path("passed").asBoolean() ? "yes" : "no"));
            }
        }
        md.append('\n');
        for (JsonNode group : fanOut.path("groups")) {
            md.append(String.format(
                    Locale.ROOT,
                    "- %d members: highest sustained rate with p99 under the limit: **%.0f deliveries/s**%n",
                    group.path("members").asInt(),
                    group.path("max_deliveries_per_second_with_p99_under_limit").asDouble()));
        }
        md.append('\n');
    }

    private static void replay(JsonNode replay, StringBuilder md) {
        if (replay.isMissingNode() || replay.has("error")) {
            return;
        }
        md.append("## Replay after a reconnect\n\n");
        md.append(
                "| missed | stored/s (REST, before) | seconds until live | replayed/s | others' live p99 ms before / during "
                        + "| once, in order |\n|---|---|---|---|---|---|\n");
        for (JsonNode run : replay.path("runs")) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %,d | %d | %.1f | %,d | %.0f / %.0f | %s |%n",
                    run.path("missed").asInt(),
                    run.path("stored_per_second_via_rest").asLong(),
                    run.path("seconds_until_live").asDouble(),
                    run.path("replayed_per_second").asLong(),
                    run.path("live_before").path("latency_ms").path("p99_ms").asDouble(Double.NaN),
                    run.path("live_during_p99_ms").asDouble(Double.NaN),
                    run.path("all_received_once_in_order").asBoolean() ? "yes" : "NO"));
        }
        md.append('\n');
    }

    private static void storm(JsonNode storm, StringBuilder md) {
        if (storm.isMissingNode() || storm.has("error")) {
            return;
        }
        JsonNode reconnect = storm.path("reconnect");
        md.append("## Reconnect storm\n\n");
        md.append(String.format(
                Locale.ROOT,
                "%,d clients in groups of %d, %s messages/s through REST; all cut at once: **%,d resumed in %.1f s** "
                        + "(p50 %.1f s, p99 %.1f s; %,d connection attempts, %d gave up). Messages lost: **%d**, "
                        + "duplicated: **%d**.%n%n",
                storm.path("clients").asInt(),
                storm.path("group_size").asInt(),
                storm.path("messages_per_second").asString(),
                storm.path("resumed").asLong(),
                storm.path("seconds_until_all_resumed").asDouble(),
                reconnect.path("live_p50_ms").asLong() / 1000.0,
                reconnect.path("live_p99_ms").asLong() / 1000.0,
                reconnect.path("attempts").asLong(),
                storm.path("gave_up").asLong(),
                storm.path("messages_lost").asLong(),
                storm.path("messages_duplicated").asLong()));
    }

    private static void connections(JsonNode connections, StringBuilder md) {
        if (connections.isMissingNode() || connections.has("error")) {
            return;
        }
        md.append("## Idle connections on one gateway\n\n");
        md.append(String.format(
                Locale.ROOT,
                "Held **%,d** (%s). Per connection: heap %,d B, native (NMT) %,d B, RSS %,d B.%n%n",
                connections.path("held").asLong(),
                connections.path("stopped_because").asString(),
                connections.path("heap_bytes_per_connection").asLong(),
                connections.path("native_bytes_per_connection").asLong(-1),
                connections.path("rss_bytes_per_connection").asLong()));
    }

    private static void cpuTable(
            Iterable<JsonNode> steps,
            String header,
            java.util.function.Function<JsonNode, String> label,
            StringBuilder md) {
        md.append("CPU seconds per million deliveries:\n\n| ").append(header);
        java.util.List<String> components = new java.util.ArrayList<>();
        for (JsonNode step : steps) {
            step.path("cpu").path("seconds_per_million_deliveries").properties().forEach(entry -> {
                if (!components.contains(entry.getKey())) {
                    components.add(entry.getKey());
                }
            });
        }
        components.forEach(component -> md.append(" | ").append(component));
        md.append(" |\n|---").append("|---".repeat(components.size())).append("|\n");
        for (JsonNode step : steps) {
            md.append("| ").append(label.apply(step));
            JsonNode perMillion = step.path("cpu").path("seconds_per_million_deliveries");
            components.forEach(component -> md.append(" | ")
                    .append(Math.round(perMillion.path(component).asDouble())));
            md.append(" |\n");
        }
        md.append('\n');
    }
}
