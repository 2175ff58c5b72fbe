package org.erpchat.bench.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.erpchat.bench.measure.ProcessCpu;
import org.erpchat.bench.report.Charts;
import org.erpchat.bench.report.Latency;
import org.erpchat.bench.worker.Workers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Scenario 5, reconnect storm: {@code clients} connected users in groups of {@code groupSize}, messages flowing into
 * every group through the REST API at {@code rate} per second. A third of the way in, every connection is cut at once
 * (no close handshake, as when a gateway dies) and every client reconnects immediately and resumes from the positions
 * it holds, retrying with backoff when refused. When the sends are over, each client must hold every message of its
 * group exactly once: messages lost and duplicated are counted, and must be zero.
 */
public record ReconnectStormScenario(int clients, int groupSize, double rate, double seconds) implements Scenario {

    @Override
    public String name() {
        return "storm";
    }

    @Override
    public ObjectNode run(Bench bench) {
        List<Long> users = bench.newUsers(clients);
        bench.api().provision(users);
        List<Group> groups = new ArrayList<>();
        for (int i = 0; i < users.size(); i += groupSize) {
            List<Long> members = users.subList(i, Math.min(users.size(), i + groupSize));
            groups.add(new Group(bench.api().createGroup(members.get(0), "storm " + i, members), members));
        }
        ConnectOutcome connected = bench.connect(users, true, 200, 12);
        SendRoutes routes = new SendRoutes();
        for (Group group : groups) {
            group.members()
                    .subList(0, Math.min(10, group.members().size()))
                    .forEach(sender -> routes.toGroup(sender, group.id()));
        }
        bench.stats(true);
        Map<String, Double> cpuBefore = bench.cpu();
        CompletableFuture<List<JsonNode>> sending =
                bench.startSending(routes, true, rate, seconds, "storm-" + System.nanoTime());
        Bench.pause(Duration.ofMillis((long) (seconds * 1000 / 3)));

        long dropStart = System.nanoTime();
        long dropped = bench.workers().callAll("drop").stream()
                .mapToLong(answer -> answer.path("dropped").asLong())
                .sum();
        ConnectOutcome reconnected = ConnectOutcome.of(bench.workers()
                .callAll(i ->
                        Workers.command("reconnect").put("concurrency", clients).put("attempts", 30)));
        double allLiveSeconds = (System.nanoTime() - dropStart) / 1e9;
        System.out.printf(
                "storm: %d dropped, %d resumed in %.1f s (%d attempts, %d gave up)%n",
                dropped, reconnected.opened(), allLiveSeconds, reconnected.attempts(), reconnected.failed());

        long sent = sending.join().stream()
                .mapToLong(answer -> answer.path("sent").asLong())
                .sum();
        bench.awaitDeliveries(delivered -> false, Duration.ofSeconds(5));
        ArrayNode expected = JsonNodeFactory.instance.arrayNode();
        for (Group group : groups) {
            ObjectNode conversation = expected.addObject()
                    .put("id", group.id())
                    .put("last_seq", bench.api().lastSeq(group.members().get(0), group.id()));
            group.members().forEach(conversation.putArray("members")::add);
        }
        JsonNode verdict = verify(bench, expected, Duration.ofMinutes(2));
        Totals totals = bench.stats(true);
        Map<String, Double> cpu = ProcessCpu.difference(cpuBefore, bench.cpu());
        Latency latency = Latency.ofMicros(totals.latencyMicros());
        System.out.printf(
                "storm: %d sent, lost %d, duplicated %d, %s%n",
                sent, verdict.path("missing").asLong(), totals.duplicates(), latency);

        ObjectNode result = JsonNodeFactory.instance
                .objectNode()
                .put("clients", clients)
                .put("group_size", groupSize)
                .put("groups", groups.size())
                .put("messages_per_second", rate)
                .put("send_seconds", seconds)
                .put("sent", sent)
                .put("dropped", dropped)
                .put("resumed", reconnected.opened())
                .put("gave_up", reconnected.failed())
                .put("connect_attempts", reconnected.attempts())
                .put("seconds_until_all_resumed", LatencyScenario.round(allLiveSeconds))
                .put("messages_lost", verdict.path("missing").asLong())
                .put(
                        "sessions_missing_messages",
                        verdict.path("behind_sessions").asLong())
                .put("messages_duplicated", totals.duplicates())
                .put("gaps_seen", totals.gaps());
        result.set("initial_connect", connected.toJson());
        result.set("reconnect", reconnected.toJson());
        result.set("latency_ms", latency.toJson());
        result.setAll(totals.countersJson());
        result.set("cpu", Bench.cpuJson(cpu, totals.delivered()));
        chart(reconnected, bench);
        bench.workers().callAll("close");
        return result;
    }

    private record Group(long id, List<Long> members) {}

    /** Asks every process how far behind its sessions are, until none is or the time is up. */
    private static JsonNode verify(Bench bench, ArrayNode expected, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            List<JsonNode> answers = bench.workers().callAll(i -> {
                ObjectNode command = Workers.command("verify");
                command.set("conversations", expected);
                return command;
            });
            ObjectNode verdict = JsonNodeFactory.instance
                    .objectNode()
                    .put(
                            "missing",
                            answers.stream()
                                    .mapToLong(a -> a.path("missing").asLong())
                                    .sum())
                    .put(
                            "behind_sessions",
                            answers.stream()
                                    .mapToLong(a -> a.path("behind_sessions").asLong())
                                    .sum())
                    .put(
                            "checked",
                            answers.stream()
                                    .mapToLong(a -> a.path("checked").asLong())
                                    .sum());
            if (verdict.path("missing").asLong() == 0 || System.nanoTime() > deadline) {
                return verdict;
            }
            Bench.pause(Duration.ofSeconds(1));
        }
    }

    private void chart(ConnectOutcome reconnected, Bench bench) {
        List<double[]> live = new ArrayList<>();
        live.add(new double[] {0, 0});
        List<Long> doneAt = reconnected.doneAtMillis();
        int step = Math.max(1, doneAt.size() / 500);
        for (int i = 0; i < doneAt.size(); i += step) {
            live.add(new double[] {doneAt.get(i) / 1000.0, i + 1});
        }
        if (!doneAt.isEmpty()) {
            live.add(new double[] {doneAt.get(doneAt.size() - 1) / 1000.0, doneAt.size()});
        }
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        series.put(String.format("%,d clients", clients), live);
        Charts.lines(
                "Reconnect storm: clients live again (resumed) after all were cut at once",
                "seconds since the cut",
                "clients resumed",
                series,
                Double.NaN,
                bench.outputDir().resolve(name() + ".png"));
    }
}
