package org.erpchat.gateway.ws;

import java.time.Duration;
import java.util.List;
import org.erpchat.gateway.events.EventPublisher;
import org.erpchat.gateway.protocol.CloseCodes;
import org.erpchat.gateway.session.ChatSession;
import org.erpchat.gateway.session.SessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Graceful shutdown, first thing when the application stops: refuse new connections (503), close every session with
 * 1012 so clients reconnect to another gateway and resume there, wait briefly for the closes to complete (each one
 * publishes its {@code ConnectionClosed}), then flush what the producer still holds.
 */
@Component
class GracefulDrain implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GracefulDrain.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final SessionRegistry sessions;
    private final EventPublisher publisher;
    private volatile boolean running;
    private volatile boolean draining;

    GracefulDrain(SessionRegistry sessions, EventPublisher publisher) {
        this.sessions = sessions;
        this.publisher = publisher;
    }

    public boolean isDraining() {
        return draining;
    }

    @Override
    public void start() {
        // Also a restart: Spring stops and starts an application's lifecycle beans (test contexts are paused so).
        draining = false;
        running = true;
    }

    @Override
    public void stop() {
        draining = true;
        List<ChatSession> open = List.copyOf(sessions.all());
        log.info("Draining: closing {} sessions with 1012", open.size());
        open.forEach(session -> session.close(CloseCodes.SHUTDOWN));
        try {
            if (!sessions.awaitEmpty(CLOSE_WAIT)) {
                log.warn("{} sessions did not finish closing within {}", sessions.size(), CLOSE_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (!publisher.drain(Duration.ofSeconds(5))) {
                log.warn("Connection events still queued for Kafka after 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before everything else, while Kafka and the web server still work. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
