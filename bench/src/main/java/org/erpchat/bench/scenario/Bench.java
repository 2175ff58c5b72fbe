package org.erpchat.bench.scenario;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;
import org.erpchat.bench.measure.ProcessCpu;
import org.erpchat.bench.system.ChatApi;
import org.erpchat.bench.system.Target;
import org.erpchat.bench.system.Tokens;
import org.erpchat.bench.worker.Workers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What every scenario works with: the target, its REST API, the load-generator processes, fresh user ids, CPU
 * accounting and the output directory; plus the steps scenarios share (provision and connect users, send, wait for
 * deliveries).
 */
public final class Bench {

    private final Target target;
    private final Tokens tokens;
    private final ChatApi api;
    private final Workers workers;
    private final Path outputDir;
    private final AtomicLong nextUserId;

    public Bench(Target target, Workers workers, Path outputDir) {
        this.target = target;
        this.tokens = new Tokens(target.jwtSecret());
        this.api = new ChatApi(target, tokens, 64);
        this.workers = workers;
        this.outputDir = outputDir;
        // Fresh users for every run, so a run never replays an earlier run's history: ids from the clock.
        this.nextUserId = new AtomicLong(System.currentTimeMillis() / 1000 * 1_000_000L);
    }

    Target target() {
        return target;
    }

    Tokens tokens() {
        return tokens;
    }

    ChatApi api() {
        return api;
    }

    Workers workers() {
        return workers;
    }

    Path outputDir() {
        return outputDir;
    }

    /** {@code count} user ids never used before. */
    List<Long> newUsers(int count) {
        long first = nextUserId.getAndAdd(count);
        List<Long> users = new ArrayList<>(count);
        for (long id = first; id < first + count; id++) {
            users.add(id);
        }
        return users;
    }

    /** Opens a session for each user (in the process {@link Workers#index} names) and resumes it. */
    ConnectOutcome connect(List<Long> users, boolean resume, int concurrencyPerWorker, int attempts) {
        List<List<Long>> shares = workers.spread(users);
        List<JsonNode> answers = workers.callAll(i -> {
            ObjectNode command = Workers.command("connect")
                    .put("resume", resume)
                    .put("concurrency", concurrencyPerWorker)
                    .put("attempts", attempts);
            shares.get(i).forEach(command.putArray("users")::add);
            return command;
        });
        return ConnectOutcome.of(answers);
    }

    Totals stats(boolean reset) {
        return Totals.of(workers.callAll(i -> Workers.command("stats").put("reset", reset)));
    }

    Map<String, Double> cpu() {
        return ProcessCpu.snapshot(workers.pids());
    }

    /**
     * Sends {@code rate} messages per second for {@code seconds} over the given routes, each process sending for the
     * senders it holds (so WebSocket sends leave from the sender's own session). Returns without waiting; the
     * answers count what was sent.
     */
    java.util.concurrent.CompletableFuture<List<JsonNode>> startSending(
            SendRoutes routes, boolean viaRest, double rate, double seconds, String tag) {
        List<List<long[]>> shares = routes.spread(workers);
        int total = routes.size();
        return workers.startAll(i -> {
            ObjectNode command = Workers.command("send")
                    .put("via", viaRest ? "rest" : "ws")
                    .put("rate", rate * shares.get(i).size() / total)
                    .put("seconds", seconds)
                    .put("tag", tag + "-" + i);
            ArrayNode list = command.putArray("routes");
            shares.get(i)
                    .forEach(
                            route -> list.addArray().add(route[0]).add(route[1]).add(route[2]));
            return command;
        });
    }

    void stopSending() {
        workers.callAll("stop_send");
    }

    /**
     * Waits until {@code done} holds for the number delivered, or until nothing more arrives for {@code stall};
     * returns the totals then.
     */
    Totals awaitDeliveries(LongPredicate done, Duration stall) {
        long last = -1;
        long lastProgress = System.nanoTime();
        while (true) {
            Totals totals = stats(false);
            if (done.test(totals.delivered()) && totals.restInFlight() == 0) {
                return totals;
            }
            if (totals.delivered() != last) {
                last = totals.delivered();
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > stall.toNanos()) {
                return totals;
            }
            pause(Duration.ofMillis(250));
        }
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** CPU seconds per component, and per million deliveries when there were any. */
    static ObjectNode cpuJson(Map<String, Double> cpu, long deliveries) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        ObjectNode seconds = json.putObject("seconds");
        ObjectNode perMillion = json.putObject("seconds_per_million_deliveries");
        cpu.forEach((component, value) -> {
            seconds.put(component, Math.round(value * 100) / 100.0);
            if (deliveries > 0) {
                perMillion.put(component, Math.round(value * 1_000_000.0 / deliveries * 10) / 10.0);
            }
        });
        return json;
    }

    public void close() {
        api.close();
    }
}
