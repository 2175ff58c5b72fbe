package org.erpchat.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.erpchat.gateway.protocol.CloseCodes;
import org.erpchat.gateway.session.OutboundFrame;
import org.erpchat.gateway.session.OutboundListener;
import org.erpchat.gateway.session.SessionRegistry;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;

/**
 * The gateway's meters (all under {@code chat.gateway}): connections, deliveries, delivery latency from message
 * creation to socket write, frames dropped under pressure, sessions closed and why, client errors. Kafka consumer lag
 * comes from Spring Kafka's own client metrics ({@code kafka.consumer.fetch.manager.records.lag.max}).
 */
@Component
public class GatewayMetrics implements OutboundListener {

    /** One delivery in this many is timed for {@code chat.gateway.delivery.latency}. */
    static final int LATENCY_SAMPLE = 8;

    private final MeterRegistry registry;
    private final Counter written;
    private final Counter dropped;
    private final Timer deliveryLatency;
    private final ConcurrentHashMap<String, Counter> deliveries = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry, SessionRegistry sessions) {
        this.registry = registry;
        Gauge.builder("chat.gateway.connections", sessions, SessionRegistry::size)
                .description("Open WebSocket connections")
                .register(registry);
        Gauge.builder("chat.gateway.users", sessions, SessionRegistry::users)
                .description("Distinct authenticated users connected")
                .register(registry);
        this.written = Counter.builder("chat.gateway.frames.written")
                .description("Frames written to client sockets")
                .register(registry);
        this.dropped = Counter.builder("chat.gateway.frames.dropped")
                .description("Typing and presence frames dropped because a session's queue was filling up")
                .register(registry);
        this.deliveryLatency = Timer.builder("chat.gateway.delivery.latency")
                .description("From a message's creation in message-service to its frame written to a socket (one"
                        + " delivery in " + LATENCY_SAMPLE + ", chosen at random)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    /**
     * Counts every frame written; times one delivery in {@link #LATENCY_SAMPLE}, chosen at random. Recording into a
     * percentile histogram for every delivery was 4.3 % of the gateway's CPU in a 1,000-member fan-out
     * (docs/benchmarks.md section 6 step 15), and a random sample has the same distribution.
     */
    @Override
    public void written(OutboundFrame frame) {
        written.increment();
        Instant created = frame.eventCreatedAt();
        if (created != null && ThreadLocalRandom.current().nextInt(LATENCY_SAMPLE) == 0) {
            long millis = System.currentTimeMillis() - created.toEpochMilli();
            deliveryLatency.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void dropped(OutboundFrame frame) {
        dropped.increment();
    }

    public void delivered(String event) {
        delivered(event, 1);
    }

    /** Called for every fan-out, so the counters are kept rather than looked up each time. */
    public void delivered(String event, int frames) {
        if (frames > 0) {
            deliveries
                    .computeIfAbsent(event, name -> registry.counter("chat.gateway.deliveries", "event", name))
                    .increment(frames);
        }
    }

    /** A session ended: counted once, when the gateway decided to close it or when the client or network did. */
    @Override
    public void closed(CloseStatus status) {
        registry.counter("chat.gateway.sessions.closed", "reason", reason(status))
                .increment();
    }

    /** A record the gateway could not hand to Kafka ({@code reason}: queue_full, timeout, kafka_error, stopped). */
    public void unpublished(String event, String reason) {
        registry.counter("chat.gateway.events.unpublished", "event", event, "reason", reason)
                .increment();
    }

    public void clientError(String code) {
        registry.counter("chat.gateway.client.errors", "code", code).increment();
    }

    public void handshakeRefused(String reason) {
        registry.counter("chat.gateway.handshakes.refused", "reason", reason).increment();
    }

    public void replayed(int messages) {
        registry.counter("chat.gateway.replayed.messages").increment(messages);
    }

    private static String reason(CloseStatus status) {
        return switch (status.getCode()) {
            case 1000 -> "normal";
            case 1001 -> "going_away";
            case 1008 -> "policy";
            case 1009 -> "too_big";
            case 1012 -> "shutdown";
            case 1013 -> "replay_failed";
            case CloseCodes.TOO_SLOW -> "too_slow";
            case CloseCodes.SESSION_LIMIT -> "session_limit";
            default -> "other";
        };
    }
}
