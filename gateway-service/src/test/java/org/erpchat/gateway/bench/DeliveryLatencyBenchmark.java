package org.erpchat.gateway.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.erpchat.gateway.support.Backends;
import org.erpchat.gateway.support.SecondGateway;
import org.erpchat.gateway.support.WsTestClient;
import org.erpchat.testsupport.TestTokens;

/**
 * End-to-end delivery latency through the whole system: a client's {@code send_private_message} through the gateway,
 * Kafka, message-service (PostgreSQL, outbox), Kafka again and the gateway, to the receiving client's socket. Real
 * servers (the test infrastructure), message-service and presence-service as processes, one gateway in this JVM.
 * Latency is the time from sending the frame to the receiver's client reading it, recorded in an HdrHistogram.
 * Not a test: run it with {@code gateway-service/bench/delivery-latency.sh [pairs] [messages per pair] [per second]}.
 */
public final class DeliveryLatencyBenchmark {

    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int perPair = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int ratePerSecond = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        Backends backends = Backends.get();
        try (SecondGateway gateway = new SecondGateway(
                "latency-gateway",
                Map.of("chat.gateway.inbound.rate-per-second", "1000", "chat.gateway.inbound.burst", "1000"))) {
            long base = 700_000_000L + System.nanoTime() % 1_000_000 * 100;
            List<WsTestClient> senders = new ArrayList<>();
            List<WsTestClient> receivers = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                backends.provision(base + 2 * i, base + 2 * i + 1);
                senders.add(connect(gateway, base + 2 * i));
                receivers.add(connect(gateway, base + 2 * i + 1));
            }
            Map<String, Long> sentAt = new ConcurrentHashMap<>();
            Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
            // Warm-up: one round trip per pair, not recorded.
            for (int i = 0; i < pairs; i++) {
                senders.get(i)
                        .send(
                                "send_private_message",
                                Map.of("receiver_id", base + 2 * i + 1, "content", "warm", "client_msg_id", "w-" + i));
            }
            for (int i = 0; i < pairs; i++) {
                receivers.get(i).awaitFrames("private_message", data -> true, 1, Duration.ofMinutes(1));
            }
            // A first round at the same rate warms up every JVM involved; only the second is recorded.
            for (String round : List.of("warm", "measured")) {
                long intervalNanos = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
                long next = System.nanoTime();
                for (int n = 0; n < perPair; n++) {
                    for (int i = 0; i < pairs; i++) {
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            // Pacing the sender, not waiting for a result: parking keeps the core for the system.
                            LockSupport.parkNanos(wait);
                        }
                        next += intervalNanos;
                        String id = round + "-" + i + "-" + n;
                        sentAt.put(id, System.nanoTime());
                        senders.get(i)
                                .send(
                                        "send_private_message",
                                        Map.of(
                                                "receiver_id",
                                                base + 2 * i + 1,
                                                "content",
                                                "benchmark message " + n,
                                                "client_msg_id",
                                                id));
                    }
                }
                int expected = round.equals("warm") ? perPair + 1 : 2 * perPair + 1;
                for (int i = 0; i < pairs; i++) {
                    receivers.get(i).awaitFrames("private_message", data -> true, expected, Duration.ofMinutes(5));
                }
            }
            for (WsTestClient receiver : receivers) {
                for (WsTestClient.TimedFrame frame : receiver.timedFrames("private_message")) {
                    String id = frame.frame().data().path("client_msg_id").asString();
                    Long start = sentAt.get(id);
                    if (start != null && id.startsWith("measured-")) {
                        histogram.recordValue(Math.max(0, frame.receivedNanos() - start));
                    }
                }
            }
            System.out.printf(
                    "%d pairs x %d messages at %d/s: n=%d  p50=%.1f ms  p90=%.1f ms  p99=%.1f ms  p99.9=%.1f ms  max=%.1f ms%n",
                    pairs,
                    perPair,
                    ratePerSecond,
                    histogram.getTotalCount(),
                    ms(histogram.getValueAtPercentile(50)),
                    ms(histogram.getValueAtPercentile(90)),
                    ms(histogram.getValueAtPercentile(99)),
                    ms(histogram.getValueAtPercentile(99.9)),
                    ms(histogram.getMaxValue()));
            senders.forEach(WsTestClient::close);
            receivers.forEach(WsTestClient::close);
        }
        System.exit(0);
    }

    private static WsTestClient connect(SecondGateway gateway, long user) {
        WsTestClient client = WsTestClient.connect(gateway.wsUri("token=" + TestTokens.forUser(user)));
        client.awaitFrame("connected");
        client.send("resume", Map.of("positions", Map.of()));
        client.awaitFrame("resume_result");
        return client;
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }
}
