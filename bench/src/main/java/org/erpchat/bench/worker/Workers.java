package org.erpchat.bench.worker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.erpchat.bench.system.ChatApi;
import org.erpchat.bench.system.Target;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The coordinator's handle on the load-generator processes: it starts them (same class path, each with its own
 * loopback source address 127.0.0.2, 127.0.0.3, ...), sends them commands and collects their answers. User {@code u}
 * of a scenario lives in worker {@code index(u)}.
 */
public final class Workers implements AutoCloseable {

    private final List<Worker> workers = new ArrayList<>();

    private Workers() {}

    public static Workers start(int count, Target target, Path logDir, String heap) {
        Workers all = new Workers();
        for (int i = 0; i < count; i++) {
            all.workers.add(Worker.start(i, target, logDir, heap));
        }
        return all;
    }

    /** Workers over processes already started that speak the workers' protocol on stdin and stdout. */
    static Workers over(List<Process> processes) {
        Workers all = new Workers();
        processes.forEach(process -> all.workers.add(new Worker(process)));
        return all;
    }

    public int size() {
        return workers.size();
    }

    public List<Long> pids() {
        return workers.stream().map(worker -> worker.process.pid()).toList();
    }

    /** The worker holding user {@code userId}'s session when users are spread with {@link #spread}. */
    public int index(long userId) {
        return (int) Math.floorMod(userId, (long) workers.size());
    }

    /** Users grouped by the worker that holds them. */
    public List<List<Long>> spread(List<Long> users) {
        List<List<Long>> shares = new ArrayList<>();
        workers.forEach(worker -> shares.add(new ArrayList<>()));
        users.forEach(user -> shares.get(index(user)).add(user));
        return shares;
    }

    /** Sends each worker its command (built from its index) and waits for every answer. */
    public List<JsonNode> callAll(IntFunction<ObjectNode> command) {
        return startAll(command).join();
    }

    /** Like {@link #callAll} without waiting. */
    public CompletableFuture<List<JsonNode>> startAll(IntFunction<ObjectNode> command) {
        List<CompletableFuture<JsonNode>> answers = new ArrayList<>();
        for (int i = 0; i < workers.size(); i++) {
            answers.add(workers.get(i).call(command.apply(i)));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(done -> answers.stream().map(CompletableFuture::join).toList());
    }

    public List<JsonNode> callAll(String cmd) {
        return callAll(i -> command(cmd));
    }

    public static ObjectNode command(String cmd) {
        return ChatApi.JSON.createObjectNode().put("cmd", cmd);
    }

    @Override
    public void close() {
        for (Worker worker : workers) {
            worker.exit();
        }
    }

    private static final class Worker {

        private final Process process;
        private final PrintStream in;
        private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        private final AtomicLong ids = new AtomicLong();

        private Worker(Process process) {
            this.process = process;
            this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
            Thread reader = new Thread(this::readAnswers, "worker-" + process.pid() + "-answers");
            reader.setDaemon(true);
            reader.start();
        }

        static Worker start(int index, Target target, Path logDir, String heap) {
            List<String> command = List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + heap,
                    "-XX:+UseParallelGC",
                    // A worker lives for one run and shares the cores with the system it measures: with the quick
                    // compiler only, its compilations and its profiling counters take 25-35 % less of its CPU than
                    // with both compilers (docs/benchmarks.md section 7, step 24), and what it leaves goes to the
                    // servers.
                    "-XX:TieredStopAtLevel=1",
                    "-cp",
                    System.getProperty("java.class.path"),
                    WorkerMain.class.getName(),
                    "--source=127.0.0." + (2 + index),
                    "--gateway-url=" + target.gatewayUrl(),
                    "--message-url=" + target.messageServiceUrl());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(
                            logDir.resolve("worker-" + index + ".log").toFile()));
            // The secret goes through the environment, never the command line.
            builder.environment().put("CHAT_JWT_SECRET", target.jwtSecret());
            try {
                return new Worker(builder.start());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start a load-generator process", e);
            }
        }

        CompletableFuture<JsonNode> call(ObjectNode command) {
            long id = ids.incrementAndGet();
            CompletableFuture<JsonNode> answer = new CompletableFuture<>();
            pending.put(id, answer);
            command.put("id", id);
            synchronized (in) {
                in.println(ChatApi.JSON.writeValueAsString(command));
            }
            return answer.thenApply(reply -> {
                if (reply.has("error")) {
                    throw new IllegalStateException("worker " + process.pid() + ": "
                            + reply.path("error").asString());
                }
                return reply;
            });
        }

        private void readAnswers() {
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    JsonNode reply;
                    try {
                        reply = ChatApi.JSON.readTree(line);
                    } catch (JacksonException e) {
                        reply = null;
                    }
                    if (reply == null || !reply.isObject()) {
                        // Not an answer: a JVM agent attached to the worker (a profiler's "Profiling started")
                        // writes to the same stdout. Passed on; ending this thread would leave every later command
                        // of the run waiting for an answer.
                        System.err.println("worker " + process.pid() + ": " + line);
                        continue;
                    }
                    CompletableFuture<JsonNode> answer =
                            pending.remove(reply.path("id").asLong());
                    if (answer != null) {
                        answer.complete(reply);
                    }
                }
            } catch (IOException e) {
                // The process ended; fail whatever still waits.
            }
            IllegalStateException gone =
                    new IllegalStateException("load-generator process " + process.pid() + " ended");
            pending.values().forEach(answer -> answer.completeExceptionally(gone));
        }

        void exit() {
            synchronized (in) {
                in.println("{\"cmd\":\"exit\"}");
            }
            try {
                if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
