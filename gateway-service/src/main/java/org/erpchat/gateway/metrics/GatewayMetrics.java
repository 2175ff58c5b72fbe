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

    /** About this many deliveries of each message are timed for {@code chat.gateway.delivery.latency}. */
    static final int TIMED_PER_MESSAGE = 8;

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
                .description("From a message's creation in message-service to its frame written to a socket (about "
                        + TIMED_PER_MESSAGE + " deliveries of each message, chosen at random)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    /**
     * How many of a message's deliveries to {@code sessions} sessions one timed delivery stands for: every delivery of a
     * message to {@link #TIMED_PER_MESSAGE} sessions or fewer is timed, about that many of a larger fan-out. Recording
     * into a percentile histogram for every delivery was 4.3 % of the gateway's CPU in a 1,000-member fan-out, and one
     * in eight still up to 2 % (docs/benchmarks.md section 6 step 15, section 7 step 28): the timer's maximum is one
     * value that both fan-out threads compare and set, which costs the more the more often they collide. Eight random
     * deliveries of each message show how its fan-out spreads as well as 125 do.
     */
    public static int latencySampling(int sessions) {
        return Math.max(1, sessions / TIMED_PER_MESSAGE);
    }

    /** Counts every frame written; times the frame's share of its writes ({@link OutboundFrame#timedOneIn()}). */
    @Override
    public void written(OutboundFrame frame) {
        written.increment();
        Instant created = frame.eventCreatedAt();
        if (created != null && sampled(frame.timedOneIn())) {
            long millis = System.currentTimeMillis() - created.toEpochMilli();
            deliveryLatency.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
        }
    }

    private static boolean sampled(int oneIn) {
        return oneIn <= 1 || ThreadLocalRandom.current().nextInt(oneIn) == 0;
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
            // A write failed: the connection had broken before the client could close it (its close never comes).
            case 4500 -> "write_failed";
            default -> "other";
        };
    }
}
