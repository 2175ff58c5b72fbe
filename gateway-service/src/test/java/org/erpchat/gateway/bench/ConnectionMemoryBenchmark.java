package org.erpchat.gateway.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.erpchat.infra.embedded.FreePort;
import org.erpchat.infra.embedded.JavaServiceProcess;
import org.erpchat.infra.embedded.KraftBroker;
import org.erpchat.testclient.ClientSocket;
import org.erpchat.testclient.WebSocketConnector;
import org.erpchat.testsupport.TestTokens;

/**
 * Measures what an idle, authenticated WebSocket connection costs the gateway: heap (after a full GC) and resident
 * memory, per connection, for each executable jar and compression setting given. Not a test: run it with
 * {@code gateway-service/bench/connection-memory.sh}, which builds the Jetty and the Tomcat jar and prints a table.
 *
 * <p>Arguments: {@code connections label=jar [label=jar ...]}.
 */
public final class ConnectionMemoryBenchmark {

    private static final Pattern HEAP_USED =
            Pattern.compile("jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} ([0-9.E+]+)");

    public static void main(String[] args) throws Exception {
        int connections = Integer.parseInt(args[0]);
        Path work = Files.createTempDirectory("conn-memory-");
        try (KraftBroker kafka = new KraftBroker(work.resolve("kafka"), 0, Map.of()).start()) {
            System.out.printf(
                    "%-8s %-12s %12s %14s %14s %12s%n",
                    "server", "deflate", "connections", "heap/conn (B)", "RSS/conn (B)", "negotiated");
            for (int i = 1; i < args.length; i++) {
                String[] labelAndJar = args[i].split("=", 2);
                for (boolean compression : new boolean[] {false, true}) {
                    measure(labelAndJar[0], Path.of(labelAndJar[1]), compression, connections, kafka, work);
                }
            }
        }
    }

    private static void measure(
            String label, Path jar, boolean compression, int connections, KraftBroker kafka, Path work)
            throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                measureOnce(label, jar, compression, connections, kafka, work);
                return;
            } catch (IllegalStateException e) {
                // A "free" port can be taken by a client socket between looking and binding; try another.
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private static void measureOnce(
            String label, Path jar, boolean compression, int connections, KraftBroker kafka, Path work)
            throws Exception {
        int port = FreePort.find();
        JavaServiceProcess gateway = new JavaServiceProcess(
                label,
                jar,
                port,
                work.resolve(label + "-" + compression + ".log"),
                List.of("-Xmx1g", "-XX:+UseSerialGC"),
                Map.of(
                        "spring.kafka.bootstrap-servers", kafka.bootstrapServers(),
                        "chat.gateway.compression", Boolean.toString(compression),
                        "chat.gateway.max-sessions-per-user", "1000000",
                        "chat.gateway.inbound.max-violations", "1000000",
                        "server.jetty.max-connections", "-1",
                        "server.tomcat.max-connections", Integer.toString(connections + 100),
                        "server.tomcat.threads.max", "200",
                        "logging.level.root", "WARN"),
                Map.of("CHAT_SECURITY_JWT_SECRET", TestTokens.SECRET));
        gateway.start();
        List<ClientSocket> sockets = new ArrayList<>();
        Map<InetAddress, WebSocketConnector> connectors = new HashMap<>();
        try {
            gateway.awaitReady(Duration.ofMinutes(2));
            long pid = pidOf(port);
            Snapshot before = snapshot(pid, port);
            String negotiated = "";
            for (int i = 0; i < connections; i++) {
                // Spread over loopback source addresses so ephemeral ports never run out.
                InetAddress source = InetAddress.getByName("127.0.0." + (2 + i / 20_000));
                WebSocketConnector connector = connectors.computeIfAbsent(
                        source, address -> WebSocketConnector.start("idle-" + address.getHostAddress(), address));
                BlockingQueue<String> received = new LinkedBlockingQueue<>();
                ClientSocket socket = connector
                        .connect(
                                URI.create(
                                        "ws://127.0.0.1:" + port + "/ws?token=" + TestTokens.forUser(1 + i % 50_000)),
                                Map.of(),
                                compression,
                                new ClientSocket.Listener() {
                                    @Override
                                    public void onText(String text) {
                                        received.add(text);
                                    }

                                    @Override
                                    public void onClose(int code, String reason) {
                                        received.add("closed " + code);
                                    }
                                })
                        .get(30, TimeUnit.SECONDS);
                sockets.add(socket);
                awaitEvent(received, "connected");
                socket.sendText("{\"event\":\"ping\",\"data\":{}}");
                // After the pong, a server that negotiated deflate has set up its compressor too.
                awaitEvent(received, "pong");
                negotiated = socket.extensions();
            }
            Snapshot after = snapshot(pid, port);
            System.out.printf(
                    "%-8s %-12s %12d %14d %14d %12s%n",
                    label,
                    compression ? "on" : "off",
                    connections,
                    (after.heap - before.heap) / connections,
                    (after.rss - before.rss) / connections,
                    negotiated.isEmpty() ? "none" : negotiated.split(";")[0]);
        } finally {
            sockets.forEach(ClientSocket::abort);
            connectors.values().forEach(WebSocketConnector::close);
            gateway.stop();
        }
    }

    private static void awaitEvent(BlockingQueue<String> received, String event) throws InterruptedException {
        String text = received.poll(30, TimeUnit.SECONDS);
        if (text == null || !text.contains("\"event\":\"" + event + "\"")) {
            throw new IllegalStateException("expected " + event + ", got " + text);
        }
    }

    private record Snapshot(long heap, long rss) {}

    private static Snapshot snapshot(long pid, int port) throws Exception {
        for (int i = 0; i < 2; i++) {
            run(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid), "GC.run"));
        }
        String metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        long heap = 0;
        Matcher matcher = HEAP_USED.matcher(metrics);
        while (matcher.find()) {
            heap += (long) Double.parseDouble(matcher.group(1));
        }
        long rss = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024)
                .findFirst()
                .orElse(0L);
        return new Snapshot(heap, rss);
    }

    private static long pidOf(int port) throws Exception {
        String out = run(List.of("bash", "-c", "ss -ltnp 'sport = :" + port + "' | grep -o 'pid=[0-9]*' | head -1"));
        return Long.parseLong(out.trim().replace("pid=", ""));
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor(60, TimeUnit.SECONDS);
        return output;
    }
}
