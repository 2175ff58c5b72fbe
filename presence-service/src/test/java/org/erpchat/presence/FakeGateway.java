package org.erpchat.presence;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.erpchat.events.ConnectionClosed;
import org.erpchat.events.ConnectionOpened;
import org.erpchat.events.GatewayHeartbeat;
import org.erpchat.events.SessionRef;

/**
 * Plays a gateway instance on Kafka: opens and closes sessions, and lists its live sessions in heartbeats (split into
 * parts, as the gateway does). {@link #kill()} makes it go silent the way a crashed or partitioned gateway does.
 */
final class FakeGateway implements AutoCloseable {

    static final Duration HEARTBEAT_PERIOD = Duration.ofMillis(500);
    private static final int PART_SIZE = 50;

    final String id = "gw-" + UUID.randomUUID();
    private final Map<String, Long> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger counter = new AtomicInteger();
    private ScheduledExecutorService heartbeats;

    /** A gateway heartbeating every {@link #HEARTBEAT_PERIOD} until killed or closed. */
    static FakeGateway live() {
        FakeGateway gateway = new FakeGateway();
        gateway.startHeartbeats();
        return gateway;
    }

    /** A gateway that heartbeats only when told to. */
    static FakeGateway manual() {
        return new FakeGateway();
    }

    String open(long userId) {
        String sessionId = openUnpublished(userId);
        publishOpen(sessionId);
        return sessionId;
    }

    /** A session known locally whose open is not published yet: heartbeats list it, as a real gateway's may. */
    String openUnpublished(long userId) {
        String sessionId = id + "/s" + counter.incrementAndGet();
        sessions.put(sessionId, userId);
        return sessionId;
    }

    void publishOpen(String sessionId) {
        TestEvents.publish(new ConnectionOpened(id, sessionId, sessions.get(sessionId), Instant.now()));
    }

    void close(String sessionId) {
        Long userId = sessions.remove(sessionId);
        if (userId == null) {
            throw new IllegalArgumentException("no session " + sessionId + " on " + id);
        }
        TestEvents.publish(new ConnectionClosed(id, sessionId, userId, Instant.now()));
    }

    void closeAll() {
        List.copyOf(sessions.keySet()).forEach(this::close);
    }

    void heartbeat() {
        List<SessionRef> live = new ArrayList<>();
        sessions.forEach((sessionId, userId) -> live.add(new SessionRef(sessionId, userId)));
        int parts = Math.max(1, (live.size() + PART_SIZE - 1) / PART_SIZE);
        Instant now = Instant.now();
        for (int part = 0; part < parts; part++) {
            List<SessionRef> slice = live.subList(part * PART_SIZE, Math.min(live.size(), (part + 1) * PART_SIZE));
            TestEvents.publish(new GatewayHeartbeat(id, now, part, parts, slice));
        }
    }

    synchronized void startHeartbeats() {
        if (heartbeats == null) {
            heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "fake-gateway-heartbeat");
                thread.setDaemon(true);
                return thread;
            });
            heartbeats.scheduleAtFixedRate(
                    this::heartbeatQuietly, 0, HEARTBEAT_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Stops heartbeating without closing anything: the gateway crashed or lost its network. */
    synchronized void kill() {
        if (heartbeats != null) {
            heartbeats.shutdownNow();
            heartbeats = null;
        }
    }

    @Override
    public void close() {
        kill();
    }

    private void heartbeatQuietly() {
        try {
            heartbeat();
        } catch (RuntimeException e) {
            // A test that stops Kafka or ends makes a heartbeat fail; the next one tries again.
        }
    }
}
