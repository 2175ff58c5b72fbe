package org.erpchat.bench.worker;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.erpchat.bench.client.ChatSocket;
import org.erpchat.bench.client.MessageContent;
import org.erpchat.bench.client.SocketFleet;
import org.erpchat.bench.system.ChatApi;

/**
 * Sends on a fixed schedule whatever the responses: message k is due at {@code start + k / rate} and carries that
 * intended time, so a stall anywhere (including here) shows up as latency instead of as a lower send rate. A sender
 * that falls behind catches up at once rather than skipping.
 */
final class OpenLoopSender {

    private final SocketFleet fleet;
    private final ChatApi api;
    private final Map<Integer, LongAdder> restStatuses = new ConcurrentHashMap<>();
    private final AtomicLong restInFlight = new AtomicLong();
    private volatile boolean stopped;

    OpenLoopSender(SocketFleet fleet, ChatApi api) {
        this.fleet = fleet;
        this.api = api;
    }

    void stop() {
        stopped = true;
    }

    record Outcome(long sent, long skipped, long maxBehindMillis) {}

    /** REST answers by HTTP status (0: no answer) since the last reset, and how many are still awaited. */
    synchronized Map<String, Long> restStatuses(boolean reset) {
        Map<String, Long> counts = new TreeMap<>();
        restStatuses.forEach((status, count) -> {
            long value = reset ? count.sumThenReset() : count.sum();
            if (value > 0) {
                counts.put(Integer.toString(status), value);
            }
        });
        return counts;
    }

    long restInFlight() {
        return restInFlight.get();
    }

    Outcome run(SendPlan plan) {
        stopped = false;
        long total = plan.messages();
        double intervalNanos = TimeUnit.SECONDS.toNanos(1) / plan.rate();
        long startNanos = System.nanoTime();
        long startMicros = MessageContent.nowEpochMicros();
        long sent = 0;
        long skipped = 0;
        long maxBehind = 0;
        for (long k = 0; k < total && !stopped; k++) {
            long offsetNanos = (long) (k * intervalNanos);
            long wait = startNanos + offsetNanos - System.nanoTime();
            if (wait < 0) {
                maxBehind = Math.max(maxBehind, -wait);
            }
            // parkNanos may return early: a message sent before its time would show less latency than it had.
            while (wait > 0) {
                LockSupport.parkNanos(wait);
                wait = startNanos + offsetNanos - System.nanoTime();
            }
            SendPlan.Route route = plan.routes().get((int) (k % plan.routes().size()));
            String content = MessageContent.of(startMicros + offsetNanos / 1000, k);
            String clientMsgId = plan.tag() + "-" + k;
            if (plan.viaRest()) {
                restInFlight.incrementAndGet();
                var answer = route.group()
                        ? api.sendGroup(route.from(), route.to(), content, clientMsgId)
                        : api.sendPrivate(route.from(), route.to(), content, clientMsgId);
                answer.thenAccept(result -> {
                    restStatuses
                            .computeIfAbsent(result.status(), s -> new LongAdder())
                            .increment();
                    restInFlight.decrementAndGet();
                });
                sent++;
            } else {
                ChatSocket socket = fleet.socket(route.from());
                if (socket == null || !socket.isOpen()) {
                    skipped++;
                    continue;
                }
                if (route.group()) {
                    socket.sendGroup(route.to(), content, clientMsgId);
                } else {
                    socket.sendPrivate(route.to(), content, clientMsgId);
                }
                sent++;
            }
        }
        return new Outcome(sent, skipped, TimeUnit.NANOSECONDS.toMillis(maxBehind));
    }
}
