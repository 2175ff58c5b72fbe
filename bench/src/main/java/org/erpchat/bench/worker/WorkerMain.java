package org.erpchat.bench.worker;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.HdrHistogram.Histogram;
import org.erpchat.bench.client.ChatSocket;
import org.erpchat.bench.client.DeliveryStats;
import org.erpchat.bench.client.Histograms;
import org.erpchat.bench.client.SocketFleet;
import org.erpchat.bench.system.ChatApi;
import org.erpchat.bench.system.Target;
import org.erpchat.bench.system.Tokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A load-generator process: it holds a share of the benchmark's WebSocket sessions (one process may hold at most
 * 20,000 open files here) from its own loopback source address, and sends its share of the load. The coordinating
 * process ({@link Workers}) sends it one JSON command per line on stdin; it answers each, with the command's
 * {@code id}, on one line of stdout. Commands run concurrently, so {@code stats} and {@code stop_send} work while a
 * {@code send} runs.
 */
public final class WorkerMain {

    private final SocketFleet fleet;
    private final ChatApi api;
    private final OpenLoopSender sender;
    private final PrintStream out;
    private final Histogram latency = new Histogram(3);

    private WorkerMain(Target target, String sourceAddress, PrintStream out) {
        Tokens tokens = new Tokens(target.jwtSecret());
        this.fleet = new SocketFleet(target, tokens, sourceAddress);
        this.api = new ChatApi(target, tokens, 64);
        this.sender = new OpenLoopSender(fleet, api);
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            String[] pair = arg.replaceFirst("^--", "").split("=", 2);
            options.put(pair[0], pair.length > 1 ? pair[1] : "true");
        }
        Target target = Target.from(options, System.getenv(), Path.of("."));
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err); // stdout carries answers only
        WorkerMain worker = new WorkerMain(target, options.getOrDefault("source", "127.0.0.1"), out);
        worker.serve(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
    }

    private void serve(BufferedReader in) throws Exception {
        ExecutorService commands = Executors.newCachedThreadPool();
        String line;
        while ((line = in.readLine()) != null) {
            JsonNode command = ChatApi.JSON.readTree(line);
            if (command.path("cmd").asString().equals("exit")) {
                break;
            }
            commands.execute(() -> answer(command));
        }
        fleet.close();
        api.close();
        System.exit(0);
    }

    private void answer(JsonNode command) {
        ObjectNode reply;
        try {
            reply = execute(command);
        } catch (RuntimeException e) {
            e.printStackTrace();
            reply = ChatApi.JSON.createObjectNode().put("error", e.toString());
        }
        reply.put("id", command.path("id").asLong());
        String text = ChatApi.JSON.writeValueAsString(reply);
        synchronized (out) {
            out.println(text);
        }
    }

    private ObjectNode execute(JsonNode command) {
        ObjectNode reply = ChatApi.JSON.createObjectNode();
        switch (command.path("cmd").asString()) {
            case "connect" -> {
                List<Long> users = new ArrayList<>();
                command.path("users").forEach(user -> users.add(user.asLong()));
                connectResult(
                        reply,
                        fleet.connectUsers(
                                users,
                                command.path("resume").asBoolean(true),
                                concurrency(command),
                                attempts(command)));
            }
            case "reconnect" -> connectResult(reply, fleet.reconnectClosed(concurrency(command), attempts(command)));
            case "drop" -> reply.put("dropped", fleet.dropAll());
            case "send" -> {
                OpenLoopSender.Outcome outcome = sender.run(plan(command));
                reply.put("sent", outcome.sent())
                        .put("skipped", outcome.skipped())
                        .put("max_behind_ms", outcome.maxBehindMillis());
            }
            case "stop_send" -> sender.stop();
            case "stats" -> stats(reply, command.path("reset").asBoolean(false));
            case "verify" -> verify(reply, command.path("conversations"));
            case "close" -> fleet.closeAll();
            default -> throw new IllegalArgumentException("unknown command " + command.path("cmd"));
        }
        return reply;
    }

    private static int attempts(JsonNode command) {
        return command.path("attempts").asInt(12);
    }

    private static int concurrency(JsonNode command) {
        return command.path("concurrency").asInt(200);
    }

    private static void connectResult(ObjectNode reply, SocketFleet.ConnectResult result) {
        reply.put("opened", result.opened()).put("failed", result.failed()).put("attempts", result.attempts());
        reply.put("latency", Histograms.encode(result.millis()));
        if (result.firstError() != null) {
            reply.put("first_error", result.firstError());
        }
        result.doneAtMillis().forEach(reply.putArray("done_at_ms")::add);
        reply.set("retry_reasons", ChatApi.JSON.valueToTree(result.retryReasons()));
    }

    private static SendPlan plan(JsonNode command) {
        List<SendPlan.Route> routes = new ArrayList<>();
        command.path("routes")
                .forEach(route -> routes.add(new SendPlan.Route(
                        route.get(0).asLong(),
                        route.get(1).asLong(),
                        route.get(2).asInt() == 1)));
        return new SendPlan(
                command.path("via").asString().equals("rest"),
                command.path("rate").asDouble(),
                command.path("seconds").asDouble(),
                routes,
                command.path("tag").asString());
    }

    private synchronized void stats(ObjectNode reply, boolean reset) {
        DeliveryStats.Snapshot snapshot = fleet.stats().snapshot(reset);
        latency.add(snapshot.latencyMicros());
        reply.put("delivered", snapshot.delivered())
                .put("duplicates", snapshot.duplicates())
                .put("gaps", snapshot.gaps())
                .put("acks", snapshot.acks())
                .put("open", fleet.openCount())
                .put("rest_in_flight", sender.restInFlight())
                .put("latency", Histograms.encode(latency));
        reply.set("message_errors", ChatApi.JSON.valueToTree(snapshot.messageErrors()));
        reply.set("protocol_errors", ChatApi.JSON.valueToTree(snapshot.protocolErrors()));
        reply.set("closes", ChatApi.JSON.valueToTree(snapshot.closes()));
        reply.set("rest_statuses", ChatApi.JSON.valueToTree(sender.restStatuses(reset)));
        if (reset) {
            latency.reset();
        }
    }

    /**
     * For each given conversation ({@code id}, {@code last_seq}, {@code members}) and each member session held here:
     * how many of the conversation's messages the session does not hold (with no gaps counted elsewhere, a session
     * behind the last seq is missing exactly that many).
     */
    private void verify(ObjectNode reply, JsonNode conversations) {
        long checked = 0;
        long behindSessions = 0;
        long missing = 0;
        for (JsonNode conversation : conversations) {
            long id = conversation.path("id").asLong();
            long lastSeq = conversation.path("last_seq").asLong();
            for (JsonNode member : conversation.path("members")) {
                ChatSocket socket = fleet.socket(member.asLong());
                if (socket == null) {
                    continue;
                }
                checked++;
                long behind = lastSeq - socket.position(id);
                if (behind > 0) {
                    behindSessions++;
                    missing += behind;
                }
            }
        }
        reply.put("checked", checked).put("behind_sessions", behindSessions).put("missing", missing);
    }
}
