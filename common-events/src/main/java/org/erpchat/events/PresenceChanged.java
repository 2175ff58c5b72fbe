package org.erpchat.events;

import static org.erpchat.events.Require.instant;
import static org.erpchat.events.Require.positive;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A user went online (first live session anywhere) or offline (last one gone). Emitted only on transitions.
 * {@code lastSeenAt} lets clients judge staleness.
 */
public record PresenceChanged(
        long userId, @JsonProperty(required = true) boolean online, Instant lastSeenAt, Instant changedAt)
        implements ChatEvent {

    public PresenceChanged {
        positive(userId, "userId");
        instant(lastSeenAt, "lastSeenAt");
        instant(changedAt, "changedAt");
    }

    @Override
    public String partitionKey() {
        return Long.toString(userId);
    }
}
