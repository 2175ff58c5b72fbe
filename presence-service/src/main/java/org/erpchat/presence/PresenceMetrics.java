package org.erpchat.presence;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * The service's own meters. Gauges show the values the last sweep read from Redis (every sweep interval), so a
 * Prometheus scrape never waits on Redis and a Redis outage shows as stale values plus failing health, not as errors.
 */
@Component
public class PresenceMetrics {

    private final MeterRegistry registry;
    private final AtomicLong onlineUsers = new AtomicLong();
    private final AtomicLong liveSessions = new AtomicLong();
    private final AtomicLong liveGateways = new AtomicLong();
    private final AtomicLong outboxBacklog = new AtomicLong();
    private final AtomicLong expiryHeld = new AtomicLong();
    private final Counter sweeps;
    private final Counter sweepFailures;
    private final Counter expiredSessions;
    private final Counter wentOnline;
    private final Counter wentOffline;
    private final Counter typingStarted;
    private final Counter typingStopped;
    private final Counter eventFailures;
    private final Counter outboxTrimmed;

    PresenceMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("chat.presence.users.online", onlineUsers, AtomicLong::get)
                .description("Users with at least one live session, as of the last sweep")
                .register(registry);
        Gauge.builder("chat.presence.sessions.live", liveSessions, AtomicLong::get)
                .description("Live sessions on all gateways, as of the last sweep")
                .register(registry);
        Gauge.builder("chat.presence.gateways.live", liveGateways, AtomicLong::get)
                .description("Gateways that heartbeated within a session TTL, as of the last sweep")
                .register(registry);
        Gauge.builder("chat.presence.expiry.held", expiryHeld, AtomicLong::get)
                .description("1 while sweeps expire no session (Kafka unreachable, heartbeats not heard again since,"
                        + " or the warm-up after a pause), as of the last sweep")
                .register(registry);
        Gauge.builder("chat.presence.outbox.backlog", outboxBacklog, AtomicLong::get)
                .description("Events recorded in Redis and not yet published to Kafka")
                .register(registry);
        sweeps = Counter.builder("chat.presence.sweeps")
                .description("Sweeps run by this instance")
                .register(registry);
        sweepFailures = Counter.builder("chat.presence.sweep.failures")
                .description("Sweeps that failed (Redis unreachable)")
                .register(registry);
        expiredSessions = Counter.builder("chat.presence.sessions.expired")
                .description("Sessions removed because their gateway stopped listing them")
                .register(registry);
        wentOnline = emitted("online");
        wentOffline = emitted("offline");
        typingStarted = typing("true");
        typingStopped = typing("false");
        eventFailures = Counter.builder("chat.presence.connection.events.failed")
                .description("Connection events whose processing failed (retried, then dead-lettered)")
                .register(registry);
        outboxTrimmed = Counter.builder("chat.presence.outbox.trimmed")
                .description("Events dropped from the outbox unpublished because it held outbox.max-length, as found"
                        + " by this instance while it held the outbox lease")
                .register(registry);
    }

    private Counter emitted(String state) {
        return Counter.builder("chat.presence.events.emitted")
                .description("PresenceChanged events published")
                .tag("state", state)
                .register(registry);
    }

    private Counter typing(String typing) {
        return Counter.builder("chat.presence.typing.events.emitted")
                .description("UserTyping events published")
                .tag("typing", typing)
                .register(registry);
    }

    public void connectionEvent(String type, String outcome) {
        registry.counter("chat.presence.connection.events", "type", type, "outcome", outcome)
                .increment();
    }

    public void connectionEventFailed() {
        eventFailures.increment();
    }

    public void sweep(long expired, long sessions, long users, long gateways, boolean expiryHeld) {
        sweeps.increment();
        this.expiryHeld.set(expiryHeld ? 1 : 0);
        expiredSessions.increment(expired);
        liveSessions.set(sessions);
        onlineUsers.set(users);
        liveGateways.set(gateways);
    }

    public void sweepFailed() {
        sweepFailures.increment();
    }

    public void presencePublished(boolean online) {
        (online ? wentOnline : wentOffline).increment();
    }

    public void typingPublished(boolean typing) {
        (typing ? typingStarted : typingStopped).increment();
    }

    public void outboxTrimmed(long dropped) {
        outboxTrimmed.increment(dropped);
    }

    public void outboxBacklog(long backlog) {
        outboxBacklog.set(backlog);
    }
}
