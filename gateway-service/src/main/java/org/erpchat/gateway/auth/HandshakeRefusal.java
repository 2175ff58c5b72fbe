package org.erpchat.gateway.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpResponse;

/** A refused upgrade's answer: the status and a problem detail with our {@code code} (docs/protocol.md section 1). */
public final class HandshakeRefusal {

    private HandshakeRefusal() {}

    /** {@code detail} and {@code code} are ours, constants without characters JSON would need to escape. */
    public static void write(ServerHttpResponse response, HttpStatus status, String code, String detail) {
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        String body = "{\"type\":\"about:blank\",\"title\":\"" + status.getReasonPhrase() + "\",\"status\":"
                + status.value() + ",\"detail\":\"" + detail + "\",\"code\":\"" + code + "\"}";
        try {
            response.getBody().write(body.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the client went away; the status alone is enough
        }
    }
}
