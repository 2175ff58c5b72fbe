package org.erpchat.gateway.auth;

import java.io.IOException;
import org.erpchat.support.web.ContainerProblems;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpResponse;

/** A refused upgrade's answer: the status and a problem detail with our {@code code} (docs/protocol.md section 1). */
public final class HandshakeRefusal {

    private HandshakeRefusal() {}

    public static void write(ServerHttpResponse response, HttpStatus status, String code, String detail) {
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        try {
            response.getBody().write(ContainerProblems.json(status.value(), code, detail));
        } catch (IOException e) {
            // the client went away; the status alone is enough
        }
    }
}
