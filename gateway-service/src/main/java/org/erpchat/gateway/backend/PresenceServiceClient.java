package org.erpchat.gateway.backend;

import java.time.Instant;
import java.util.List;
import org.erpchat.gateway.config.GatewayProperties;
import org.springframework.stereotype.Component;

/** presence-service's bulk lookup, used to tell a newly connected user which contacts are online. */
@Component
public class PresenceServiceClient {

    public record Presence(long userId, boolean isOnline, Instant lastSeenAt) {}

    record Query(List<Long> userIds) {}

    private final JsonHttp http;

    public PresenceServiceClient(GatewayProperties properties) {
        this.http = new JsonHttp(properties.presenceService());
    }

    public List<Presence> query(String token, List<Long> userIds) {
        Presence[] answer = http.post(token, new Query(userIds), Presence[].class, "/api/presence/query");
        return answer == null ? List.of() : List.of(answer);
    }
}
