package org.erpchat.gateway.presence;

import java.time.Instant;
import org.erpchat.gateway.protocol.ServerEvents;
import org.erpchat.gateway.protocol.TextFrame;
import org.erpchat.gateway.protocol.WireJson;

/**
 * One user's status as clients see it, serialized once however many sessions it goes to: alone as a
 * {@code user_online_status} frame, or as one entry of a {@code presence_batch}.
 */
final class PresenceStatus {

    private final long userId;
    private final boolean online;
    private final String data;
    private volatile TextFrame frame;

    PresenceStatus(long userId, boolean online, Instant lastSeenAt) {
        this.userId = userId;
        this.online = online;
        this.data = WireJson.MAPPER.writeValueAsString(new ServerEvents.OnlineStatus(userId, online, lastSeenAt));
    }

    long userId() {
        return userId;
    }

    boolean online() {
        return online;
    }

    /** The status as the {@code data} of a {@code user_online_status} frame (and an entry of a batch). */
    String data() {
        return data;
    }

    /** {@code {"event":"user_online_status","data":...}}. */
    TextFrame frame() {
        TextFrame built = frame;
        if (built == null) {
            built = TextFrame.of("{\"event\":\"user_online_status\",\"data\":" + data + "}");
            frame = built;
        }
        return built;
    }
}
