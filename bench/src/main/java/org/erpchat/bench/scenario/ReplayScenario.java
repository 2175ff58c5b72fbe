package org.erpchat.bench.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.erpchat.bench.client.ChatSocket;
import org.erpchat.bench.client.DeliveryStats;
import org.erpchat.bench.client.SocketFleet;
import org.erpchat.bench.measure.ProcessCpu;
import org.erpchat.bench.report.Charts;
import org.erpchat.bench.report.Latency;
import org.erpchat.bench.system.ChatApi;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Scenario 4, replay: a client in {@code groups} groups goes away; the other members send {@code missed} messages,
 * spread over the groups, through the REST API (as fast as the system stores them: this also measures the store
 * rate; one conversation alone stores one message per commit, see docs/benchmarks.md); the client reconnects and
 * resumes. The figures: messages per second replayed, and the time from connecting until {@code resume_result} says
 * it is live again. Every missed message must arrive once, in order.
 *
 * <p>Meanwhile {@code livePairs} other pairs of connected users exchange private messages over their WebSockets at
 * {@code liveRate} in all, measured from send to the recipient's socket: for {@value #BASELINE_SECONDS} s before the
 * resume (the baseline) and for as long as the replay runs. The difference is what one user's replay costs everybody
 * else.
 *
 * <p>Each backlog is replayed {@code repeats} times: after the first resume the client forgets what it received and
 * resumes from the same positions again, as a second device of the same user would, so one seeding yields several
 * measurements and the figures are their medians.
 *
 * @param missedCounts backlog sizes, in order; each builds on the previous (the client goes away again)
 */
public record ReplayScenario(
        List<Integer> missedCounts, int groups, int senders, int livePairs, double liveRate, int repeats)
        implements Scenario {

    private static final int BASELINE_SECONDS = 5;

    @Override
    public String name() {
        return "replay";
    }

    @Override
    public ObjectNode run(Bench bench) {
        List<Long> members = bench.newUsers(senders + 1);
        long reader = members.get(0);
        bench.api().provision(members);
        List<Long> groupIds = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            groupIds.add(bench.api().createGroup(reader, "replay " + g, members));
        }
        ObjectNode result =
                JsonNodeFactory.instance.objectNode().put("groups", groups).put("group_members", members.size());
        ArrayNode runs = result.putArray("runs");
        SendRoutes live = liveRoutes(bench);
        result.put("live_pairs", livePairs).put("live_messages_per_second", liveRate);
        Map<String, List<double[]>> chart = new LinkedHashMap<>();
        try (SocketFleet fleet = new SocketFleet(bench.target(), bench.tokens(), "127.0.0.1")) {
            fleet.connectUsers(List.of(reader), true, 1, 3);
            ChatSocket socket = fleet.socket(reader);
            for (int missed : missedCounts) {
                socket.drop();
                Map<Long, Long> held = socket.positions();
                long from = position(socket, groupIds);
                ObjectNode run = runs.addObject().put("missed", missed);
                Map<String, Double> cpuBefore = bench.cpu();
                seed(bench, members.subList(1, members.size()), groupIds, missed, run);
                run.set("seeding_cpu", Bench.cpuJson(ProcessCpu.difference(cpuBefore, bench.cpu()), missed));
                run.put("settle_seconds", settle(bench, live));
                Map<String, Double> cpuBeforeBaseline = bench.cpu();
                ObjectNode baseline = liveWhile(bench, live, () -> Bench.pause(Duration.ofSeconds(BASELINE_SECONDS)));
                Map<String, Double> baselineCpu = ProcessCpu.difference(cpuBeforeBaseline, bench.cpu());
                baseline.set("cpu", Bench.cpuJson(baselineCpu, 0));
                run.set("live_before", baseline);
                // The live pairs' CPU each second, to tell what an attempt cost beyond them.
                Map<String, Double> livePerSecond = new LinkedHashMap<>();
                double baselineSeconds = baseline.path("seconds").asDouble(BASELINE_SECONDS);
                baselineCpu.forEach((process, seconds) -> livePerSecond.put(process, seconds / baselineSeconds));
                ArrayNode attempts = run.putArray("attempts");
                for (int attempt = 1; attempt <= repeats; attempt++) {
                    if (attempt > 1) {
                        socket.drop();
                        socket.rewindTo(held);
                    }
                    String label = String.format("%,d missed", missed) + (attempt > 1 ? " (" + attempt + ")" : "");
                    attempts.add(replayOnce(
                            bench, fleet, socket, live, livePerSecond, groupIds, from, missed, chart, label));
                }
                summarize(run, attempts);
            }
        } finally {
            // The live pairs' sessions: the next scenario starts with none (the storm counts every session it cuts).
            bench.workers().callAll("close");
        }
        Charts.lines(
                "Replay after a reconnect: messages received since resume",
                "seconds since connecting",
                "messages received",
                chart,
                Double.NaN,
                bench.outputDir().resolve(name() + ".png"));
        return result;
    }

    /**
     * One resume of the whole backlog while the live pairs talk: how long until live, every message once and in order,
     * the live traffic's latency meanwhile, and each process's CPU over the attempt: all of it ({@code cpu}), and
     * without what the live pairs cost at the baseline's rate over as long ({@code replay_cpu}). At a few hundred
     * messages a second the live pairs alone keep the machine about half busy (each message travels nearly alone,
     * docs/benchmarks.md section 7, step 28), so {@code cpu} says little about the replay's own cost.
     */
    private ObjectNode replayOnce(
            Bench bench,
            SocketFleet fleet,
            ChatSocket socket,
            SendRoutes live,
            Map<String, Double> livePerSecond,
            List<Long> groupIds,
            long from,
            int missed,
            Map<String, List<double[]>> chart,
            String label) {
        Map<String, Double> cpuBefore = bench.cpu();
        ObjectNode[] replay = new ObjectNode[1];
        ObjectNode liveDuring =
                liveWhile(bench, live, () -> replay[0] = resume(fleet, socket, groupIds, from, missed, chart, label));
        Map<String, Double> cpu = ProcessCpu.difference(cpuBefore, bench.cpu());
        ObjectNode attempt = replay[0];
        attempt.set("live_during", liveDuring);
        attempt.set("cpu", Bench.cpuJson(cpu, missed));
        double seconds = liveDuring
                .path("seconds")
                .asDouble(attempt.path("seconds_until_live").asDouble());
        Map<String, Double> replayOnly = new LinkedHashMap<>();
        cpu.forEach((process, used) ->
                replayOnly.put(process, Math.max(0, used - livePerSecond.getOrDefault(process, 0.0) * seconds)));
        attempt.set("replay_cpu", Bench.cpuJson(replayOnly, missed));
        return attempt;
    }

    /**
     * The run's figures are the medians of its attempts (the machine is shared: one replay alone says little); every
     * attempt must have received everything once and in order.
     */
    private static void summarize(ObjectNode run, ArrayNode attempts) {
        List<JsonNode> all = new ArrayList<>();
        attempts.forEach(all::add);
        run.put(
                        "seconds_until_live",
                        median(
                                all,
                                attempt -> attempt.path("seconds_until_live").asDouble()))
                .put(
                        "replayed_per_second",
                        median(
                                all,
                                attempt -> attempt.path("replayed_per_second").asDouble()))
                .put(
                        "live_during_p99_ms",
                        median(
                                all,
                                attempt -> attempt.path("live_during")
                                        .path("latency_ms")
                                        .path("p99_ms")
                                        .asDouble()))
                .put("replay_cpu_us_per_message", median(all, attempt -> {
                    double total = 0;
                    for (JsonNode seconds : attempt.path("replay_cpu").path("seconds")) {
                        total += seconds.asDouble();
                    }
                    return Math.round(total * 1e7 / attempt.path("received").asDouble(1)) / 10.0;
                }))
                .put(
                        "all_received_once_in_order",
                        all.stream()
                                .allMatch(attempt -> attempt.path("all_received_once_in_order")
                                        .asBoolean()));
    }

    private static double median(List<JsonNode> attempts, java.util.function.ToDoubleFunction<JsonNode> figure) {
        double[] values = attempts.stream().mapToDouble(figure).sorted().toArray();
        return values.length == 0 ? Double.NaN : values[(values.length - 1) / 2];
    }

    /** {@code livePairs} pairs of new users, connected (in the worker processes), each sending to the other. */
    private SendRoutes liveRoutes(Bench bench) {
        SendRoutes routes = new SendRoutes();
        if (livePairs == 0) {
            return routes;
        }
        List<Long> users = bench.newUsers(livePairs * 2);
        bench.api().provision(users);
        bench.connect(users, true, 100, 5);
        for (int i = 0; i < users.size(); i += 2) {
            routes.toUser(users.get(i), users.get(i + 1)).toUser(users.get(i + 1), users.get(i));
        }
        return routes;
    }

    /**
     * Storing the backlog as fast as it goes saturates the machine, and its events are still on their way to Kafka and
     * the gateway when the sends return. Waits until a message of every live pair gets through (every partition of
     * the way has caught up), so that the baseline measures live traffic rather than the tail of the seeding. Returns
     * the seconds that took.
     */
    private double settle(Bench bench, SendRoutes routes) {
        long start = System.nanoTime();
        if (routes.size() > 0) {
            bench.stats(true);
            long sent = bench.startSending(routes, false, routes.size(), 1, "replay-settle-" + start).join().stream()
                    .mapToLong(answer -> answer.path("sent").asLong())
                    .sum();
            bench.awaitDeliveries(delivered -> delivered >= sent, Duration.ofMinutes(5));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("replay: the pipeline caught up %.1f s after the seeding%n", seconds);
        return LatencyScenario.round(seconds);
    }

    /** Runs {@code during} while the live pairs send; their latency from send to recipient over that time. */
    private ObjectNode liveWhile(Bench bench, SendRoutes routes, Runnable during) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        if (routes.size() == 0) {
            during.run();
            return json;
        }
        bench.stats(true);
        CompletableFuture<List<JsonNode>> sending =
                bench.startSending(routes, false, liveRate, 3_600, "replay-live-" + System.nanoTime());
        long start = System.nanoTime();
        during.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        bench.stopSending();
        long sent = sending.join().stream()
                .mapToLong(answer -> answer.path("sent").asLong())
                .sum();
        Totals totals = bench.awaitDeliveries(delivered -> delivered >= sent, Duration.ofSeconds(10));
        Latency latency = Latency.ofMicros(totals.latencyMicros());
        System.out.printf("replay: live traffic over %.1f s: %d sent, %s%n", seconds, sent, latency);
        json.put("seconds", LatencyScenario.round(seconds))
                .put("sent", sent)
                .put("delivered", totals.delivered())
                .put("duplicates", totals.duplicates())
                .put("gaps", totals.gaps());
        json.set("latency_ms", latency.toJson());
        return json;
    }

    /** The messages the client holds, over all the groups. */
    private static long position(ChatSocket socket, List<Long> groupIds) {
        return groupIds.stream().mapToLong(socket::position).sum();
    }

    /**
     * Stores {@code count} messages round-robin in the groups, 64 sends in flight, retrying rate-limited ones with the
     * same id.
     */
    private static void seed(Bench bench, List<Long> senders, List<Long> groupIds, int count, ObjectNode run) {
        ChatApi api = bench.api();
        Semaphore inFlight = new Semaphore(64);
        AtomicLong rateLimited = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        long start = System.nanoTime();
        String tag = "seed-" + groupIds.get(0) + "-" + start;
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            inFlight.acquireUninterruptibly();
            long sender = senders.get(k % senders.size());
            CompletableFuture<Void> done = new CompletableFuture<>();
            long groupId = groupIds.get(k % groupIds.size());
            sendUntilStored(api, sender, groupId, "missed " + k, tag + "-" + k, rateLimited, failures, done);
            sends.add(done.whenComplete((ok, error) -> inFlight.release()));
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("replay: stored %d messages in %.1f s (%.0f/s over REST)%n", count, seconds, count / seconds);
        run.put("store_seconds", LatencyScenario.round(seconds))
                .put("stored_per_second_via_rest", Math.round(count / seconds))
                .put("rate_limited_retries", rateLimited.get())
                .put("failed_retries", failures.get());
    }

    private static void sendUntilStored(
            ChatApi api,
            long sender,
            long groupId,
            String content,
            String clientMsgId,
            AtomicLong rateLimited,
            AtomicLong failures,
            CompletableFuture<Void> done) {
        api.sendGroup(sender, groupId, content, clientMsgId).thenAccept(answer -> {
            if (answer.ok()) {
                done.complete(null);
                return;
            }
            (answer.status() == 429 ? rateLimited : failures).incrementAndGet();
            if (failures.get() > 1000) {
                done.completeExceptionally(new IllegalStateException("sends keep failing: HTTP " + answer.status()));
                return;
            }
            // A 429 says when to retry (Retry-After, in seconds); anything else is retried after a moment.
            long retryAfter =
                    answer.retryAfter() == null ? 200 : answer.retryAfter().toMillis();
            CompletableFuture.delayedExecutor(Math.max(50, retryAfter), TimeUnit.MILLISECONDS)
                    .execute(() ->
                            sendUntilStored(api, sender, groupId, content, clientMsgId, rateLimited, failures, done));
        });
    }

    private static ObjectNode resume(
            SocketFleet fleet,
            ChatSocket socket,
            List<Long> groupIds,
            long from,
            int missed,
            Map<String, List<double[]>> chart,
            String label) {
        fleet.stats().snapshot(true);
        List<double[]> progress = new ArrayList<>();
        long start = System.nanoTime();
        CompletableFuture<SocketFleet.ConnectResult> reconnect =
                CompletableFuture.supplyAsync(() -> fleet.connect(List.of(socket), true, 1, 3));
        while (!reconnect.isDone()) {
            progress.add(new double[] {(System.nanoTime() - start) / 1e9, position(socket, groupIds) - from});
            Bench.pause(Duration.ofMillis(100));
        }
        SocketFleet.ConnectResult connected = reconnect.join();
        double liveSeconds = (System.nanoTime() - start) / 1e9;
        progress.add(new double[] {liveSeconds, position(socket, groupIds) - from});
        DeliveryStats.Snapshot after = fleet.stats().snapshot(true);
        long received = position(socket, groupIds) - from;
        chart.put(label, progress);
        System.out.printf(
                "replay: %d missed, %d received in %.1f s (%.0f/s), duplicates %d, gaps %d%n",
                missed, received, liveSeconds, received / liveSeconds, after.duplicates(), after.gaps());
        return JsonNodeFactory.instance
                .objectNode()
                .put("resumed", connected.opened() == 1)
                .put("received", received)
                .put("delivered_frames", after.delivered())
                .put("duplicates", after.duplicates())
                .put("gaps", after.gaps())
                .put("seconds_until_live", LatencyScenario.round(liveSeconds))
                .put("replayed_per_second", Math.round(received / liveSeconds))
                .put("all_received_once_in_order", received == missed && after.duplicates() == 0 && after.gaps() == 0);
    }
}
