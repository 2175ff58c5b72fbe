package org.erpchat.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.erpchat.bench.measure.ProcessCpu;
import org.erpchat.bench.report.Charts;
import org.erpchat.bench.report.SummaryMarkdown;
import org.erpchat.bench.scenario.Bench;
import org.erpchat.bench.scenario.Scenario;
import org.erpchat.bench.system.ChatApi;
import org.erpchat.bench.system.Target;
import org.erpchat.bench.worker.Workers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.node.ObjectNode;

/**
 * The benchmark suite's entry point ({@code bench/run.sh} runs it).
 *
 * <pre>
 *   short | full | smoke | send-path  run a suite (docs/benchmarks.md lists what each holds)
 *   --only=latency,storm            only these scenarios of the suite
 *   --gateway-url= --message-url=   the target (default: the local stack, http://localhost:8080 and :8081)
 *   --jwt-secret=                   its HS256 secret (default: CHAT_JWT_SECRET, or the local stack's)
 *   --processes=N                   load-generator processes (default 2 for short, 3 for full)
 *   --out=DIR                       where the JSON and the plots go (default bench/results/&lt;suite&gt;-&lt;time&gt;)
 * </pre>
 */
public final class BenchMain {

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        String suiteName = null;
        for (String arg : args) {
            if (arg.startsWith("--")) {
                String[] pair = arg.substring(2).split("=", 2);
                options.put(pair[0], pair.length > 1 ? pair[1] : "true");
            } else {
                suiteName = arg;
            }
        }
        if (suiteName == null || !Suites.NAMES.contains(suiteName)) {
            System.err.println(
                    "usage: bench/run.sh short|full|smoke|send-path [--only=latency,fanout,connections,replay,storm] "
                            + "[--gateway-url=URL --message-url=URL --jwt-secret=SECRET] [--processes=N] [--out=DIR]");
            System.exit(2);
        }
        Path root = Path.of(System.getProperty("chat.repository-root", "."))
                .toAbsolutePath()
                .normalize();
        Target target = Target.from(options, System.getenv(), root);
        Path out = Path.of(options.getOrDefault(
                "out",
                root.resolve("bench/results")
                        .resolve(suiteName + "-"
                                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))
                        .toString()));
        int processes = Integer.parseInt(options.getOrDefault("processes", suiteName.equals("full") ? "3" : "2"));
        List<String> only =
                options.containsKey("only") ? List.of(options.get("only").split(",")) : List.of();
        boolean ok = run(target, Suites.of(suiteName, only), processes, out, suiteName);
        System.exit(ok ? 0 : 1);
    }

    /**
     * Runs the scenarios; writes {@code <scenario>.json}, {@code <scenario>.png}, {@code summary.json}, {@code
     * summary.md} and the CPU plot.
     */
    public static boolean run(Target target, List<Scenario> scenarios, int processes, Path out, String suiteName)
            throws IOException {
        Files.createDirectories(out);
        System.out.println("Benchmark '" + suiteName + "' against " + target.gatewayUrl() + ", results in " + out);
        ObjectNode summary = ChatApi.JSON.createObjectNode().put("suite", suiteName);
        summary.set("machine", machine(processes));
        Map<String, Map<String, Double>> cpuChart = new LinkedHashMap<>();
        boolean ok = true;
        List<String> failed = new ArrayList<>();
        try (Workers workers = Workers.start(processes, target, out, "2g")) {
            Bench bench = new Bench(target, workers, out);
            for (Scenario scenario : scenarios) {
                long start = System.nanoTime();
                ObjectNode result;
                try {
                    result = scenario.run(bench);
                } catch (RuntimeException e) {
                    e.printStackTrace();
                    result = ChatApi.JSON.createObjectNode().put("error", e.toString());
                    failed.add(scenario.name());
                    ok = false;
                    workers.callAll("close");
                }
                result.put("scenario", scenario.name())
                        .put("wall_seconds", Math.round((System.nanoTime() - start) / 1e8) / 10.0);
                Files.writeString(out.resolve(scenario.name() + ".json"), pretty(result));
                summary.set(scenario.name(), result);
                collectCpu(scenario.name(), result, cpuChart);
            }
            bench.close();
        }
        if (!cpuChart.isEmpty()) {
            Charts.bars(
                    "CPU seconds per million deliveries, by process",
                    "CPU s / 1M deliveries",
                    cpuChart,
                    out.resolve("cpu.png"));
        }
        summary.put("failed_scenarios", String.join(",", failed));
        Files.writeString(out.resolve("summary.json"), pretty(summary));
        Files.writeString(out.resolve("summary.md"), SummaryMarkdown.of(summary));
        System.out.println("Results: " + out);
        return ok;
    }

    /** Per scenario (per step where it has steps), the CPU seconds per million deliveries of each process. */
    private static void collectCpu(String scenario, JsonNode result, Map<String, Map<String, Double>> chart) {
        List<JsonNode> parts = new ArrayList<>();
        result.path("steps").forEach(parts::add);
        result.path("groups")
                .forEach(group -> group.path("steps").forEach(step -> {
                    ((ObjectNode) step).put("members", group.path("members").asInt());
                    parts.add(step);
                }));
        result.path("runs").forEach(parts::add);
        if (parts.isEmpty()) {
            parts.add(result);
        }
        // The busiest step the system kept up with is the representative one: the cost per delivery at load.
        JsonNode representative = null;
        for (JsonNode part : parts) {
            if (part.path("cpu").path("seconds_per_million_deliveries").size() > 0
                    && !part.path("saturated").asBoolean(false)
                    && part.path("complete").asBoolean(true)) {
                representative = part;
            }
        }
        if (representative == null) {
            return;
        }
        Map<String, Double> values = new LinkedHashMap<>();
        representative
                .path("cpu")
                .path("seconds_per_million_deliveries")
                .properties()
                .forEach(entry -> values.put(entry.getKey(), entry.getValue().asDouble()));
        chart.put(scenario + label(representative), values);
    }

    /** Which step of a scenario the CPU figures come from, e.g. " (ws 200/s)". */
    private static String label(JsonNode step) {
        if (step.has("channel")) {
            return " (" + step.path("channel").asString() + " "
                    + step.path("rate").asInt() + "/s)";
        }
        if (step.has("members")) {
            return " (" + step.path("members").asInt() + " members, "
                    + Math.round(step.path("deliveries_per_second").asDouble()) + "/s)";
        }
        if (step.has("missed")) {
            return " (store + replay " + step.path("missed").asInt() + ")";
        }
        return "";
    }

    private static ObjectNode machine(int processes) {
        ObjectNode machine = ChatApi.JSON
                .createObjectNode()
                .put("cores", Runtime.getRuntime().availableProcessors())
                .put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"))
                .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"))
                .put("load_generator_processes", processes);
        try {
            machine.put("host", InetAddress.getLocalHost().getHostName());
            Files.readAllLines(Path.of("/proc/meminfo")).stream()
                    .filter(line -> line.startsWith("MemTotal:"))
                    .findFirst()
                    .ifPresent(line -> machine.put(
                            "memory_gib",
                            Math.round(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0 * 10) / 10.0));
            Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .findFirst()
                    .ifPresent(line -> machine.put(
                            "cpu", line.substring(line.indexOf(':') + 1).trim()));
        } catch (IOException e) {
            // Not Linux: the figures stand without these.
        }
        machine.put("cpu_accounting", ProcessCpu.snapshot(List.of()).isEmpty() ? "unavailable" : "/proc");
        return machine;
    }

    private static String pretty(JsonNode json) {
        return ChatApi.JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json) + "\n";
    }
}
