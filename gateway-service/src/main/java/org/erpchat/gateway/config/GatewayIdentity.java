package org.erpchat.gateway.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * This gateway process's id: in connection events, heartbeats and the origin of sends, so acknowledgements find their
 * way back. Unique per run: a restarted gateway is a new one, and presence expires the old one's sessions.
 */
@Component
public class GatewayIdentity {

    private final String id;

    public GatewayIdentity(GatewayProperties properties) {
        this.id = properties.instanceId().isBlank()
                ? hostName() + "-" + UUID.randomUUID().toString().substring(0, 8)
                : properties.instanceId();
    }

    public String id() {
        return id;
    }

    private static String hostName() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "gateway";
        }
    }
}
