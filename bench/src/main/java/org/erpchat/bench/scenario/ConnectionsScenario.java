package org.erpchat.bench.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.erpchat.bench.measure.GatewayMemory;
import org.erpchat.bench.measure.ProcessCpu;
import org.erpchat.bench.report.Charts;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Scenario 3, connections: idle, authenticated, resumed sessions of distinct users are opened in batches of
 * {@code batch} until {@code target} or until the gateway refuses more; after each batch the gateway's heap (after a
 * full GC), native memory and RSS are sampled. Per-connection figures are the growth from before the first batch
 * divided by the connections held.
 */
public record ConnectionsScenario(int target, int batch) implements Scenario {

    @Override
    public String name() {
        return "connections";
    }

    @Override
    public ObjectNode run(Bench bench) {
        Optional<Long> pid = ProcessCpu.gatewayPid();
        Optional<GatewayMemory> memory =
                pid.map(id -> new GatewayMemory(id, bench.target().gatewayUrl()));
        ObjectNode result = JsonNodeFactory.instance.objectNode().put("target", target);
        ArrayNode samples = result.putArray("samples");
        GatewayMemory.Sample baseline = memory.map(GatewayMemory::sample).orElse(null);
        addSample(samples, 0, baseline);
        Map<String, Double> cpuBefore = bench.cpu();
        long held = 0;
        long failed = 0;
        String stoppedBecause = "reached the target";
        GatewayMemory.Sample last = baseline;
        while (held < target) {
            int count = (int) Math.min(batch, target - held);
            ConnectOutcome outcome = bench.connect(bench.newUsers(count), true, 200, 2);
            held += outcome.opened();
            failed += outcome.failed();
            last = memory.map(GatewayMemory::sample).orElse(null);
            addSample(samples, held, last);
            System.out.printf(
                    "connections: %d held, %d refused%s%n",
                    held,
                    failed,
                    last == null
                            ? ""
                            : String.format(
                                    ", heap %.0f MB, RSS %.0f MB", last.heapUsedBytes() / 1e6, last.rssBytes() / 1e6));
            if (outcome.failed() > 0) {
                stoppedBecause = "the gateway refused connections (see the gateway's log: open files, memory)";
                break;
            }
        }
        long open = bench.stats(false).open();
        Map<String, Double> cpu = ProcessCpu.difference(cpuBefore, bench.cpu());
        result.put("held", held).put("open_at_end", open).put("refused", failed).put("stopped_because", stoppedBecause);
        if (baseline != null && last != null && held > 0) {
            result.put("heap_bytes_per_connection", (last.heapUsedBytes() - baseline.heapUsedBytes()) / held);
            if (last.nativeBytes() >= 0) {
                result.put("native_bytes_per_connection", (last.nativeBytes() - baseline.nativeBytes()) / held);
            }
            result.put("rss_bytes_per_connection", (last.rssBytes() - baseline.rssBytes()) / held);
        }
        ObjectNode cpuJson = Bench.cpuJson(cpu, 0);
        ObjectNode perThousand = cpuJson.putObject("seconds_per_thousand_connections");
        long connections = held;
        cpu.forEach((component, seconds) ->
                perThousand.put(component, Math.round(seconds * 1000.0 / Math.max(1, connections) * 100) / 100.0));
        result.set("cpu", cpuJson);
        bench.workers().callAll("close");
        chart(samples, bench);
        return result;
    }

    private static void addSample(ArrayNode samples, long connections, GatewayMemory.Sample sample) {
        if (sample == null) {
            return;
        }
        samples.addObject()
                .put("connections", connections)
                .put("heap_used_bytes", sample.heapUsedBytes())
                .put("native_bytes", sample.nativeBytes())
                .put("rss_bytes", sample.rssBytes());
    }

    private void chart(ArrayNode samples, Bench bench) {
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        series.put("heap in use after GC", new ArrayList<>());
        series.put("native (NMT, outside the heap)", new ArrayList<>());
        series.put("RSS", new ArrayList<>());
        samples.forEach(sample -> {
            double x = sample.path("connections").asDouble();
            series.get("heap in use after GC")
                    .add(new double[] {x, sample.path("heap_used_bytes").asDouble() / 1e6});
            if (sample.path("native_bytes").asLong() >= 0) {
                series.get("native (NMT, outside the heap)")
                        .add(new double[] {x, sample.path("native_bytes").asDouble() / 1e6});
            }
            series.get("RSS").add(new double[] {x, sample.path("rss_bytes").asDouble() / 1e6});
        });
        Charts.lines(
                "Gateway memory by idle connections held",
                "connections",
                "MB",
                series,
                Double.NaN,
                bench.outputDir().resolve(name() + ".png"));
    }
}
