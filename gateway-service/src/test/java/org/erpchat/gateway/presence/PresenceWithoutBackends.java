package org.erpchat.gateway.presence;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.metrics.GatewayMetrics;
import org.erpchat.gateway.session.SessionRegistry;

/**
 * A real {@link PresenceFanOut} for tests of other packages that open and close sessions: its background work (loading
 * a user's contacts, looking statuses up) is never started, so it needs neither message-service nor presence-service,
 * and it sends a session nothing of its own.
 */
public final class PresenceWithoutBackends {

    private PresenceWithoutBackends() {}

    public static PresenceFanOut fanOut(SessionRegistry sessions, GatewayProperties properties) {
        return new PresenceFanOut(
                new ContactDirectory(properties),
                new PresenceSubscriptions(),
                new PresenceBatcher(new GatewayMetrics(new SimpleMeterRegistry(), sessions)),
                sessions,
                null,
                null,
                task -> {}, // the only ways to the backends: nothing that is handed to them runs
                task -> {},
                null, // retries start only after a load failed, and no load runs
                properties);
    }
}
