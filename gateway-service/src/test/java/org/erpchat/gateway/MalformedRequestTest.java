package org.erpchat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.erpchat.gateway.support.GatewayTest;
import org.junit.jupiter.api.Test;

/**
 * What the gateway answers to HTTP it cannot use or refuses before any token is read: every refusal is a problem detail (docs/protocol.md section 1), never
 * the web server's HTML page or Spring Boot's {timestamp, status, error} body, whichever layer refuses it.
 */
class MalformedRequestTest extends GatewayTest {

    @Test
    void aHandshakeWithAnInvalidPercentEncodingInItsQueryIsRefusedWith400() throws IOException {
        assertProblem(exchange("/ws?token=%ZZ", ""), 400, "invalid_request");
        assertProblem(exchange("/ws?resume=true&token=abc%", ""), 400, "invalid_request");
    }

    @Test
    void aPathTheWebServerCannotDecodeIsRefusedWith400() throws IOException {
        // Refused by Jetty before any servlet sees it.
        assertProblem(exchange("/%ZZ", ""), 400, "invalid_request");
    }

    @Test
    void anUnknownPathIsAnswered404() throws IOException {
        assertProblem(exchange("/no-such-page", ""), 404, "not_found");
    }

    @Test
    void handshakeHeadersAboveTheLimitAreRefusedWith431() throws IOException {
        String header = "X-Padding: " + "a".repeat(16 * 1024) + "\r\n";
        assertProblem(exchange("/ws", header), 431, null);
    }

    @Test
    void aDisallowedOriginIsRefusedWith403AndAProblem() throws IOException {
        assertProblem(exchange("/ws", "Origin: https://evil.example\r\n"), 403, "forbidden");
    }

    private static void assertProblem(String response, int status, String code) {
        assertThat(response).startsWith("HTTP/1.1 " + status + " ");
        String headers = response.substring(0, response.indexOf("\r\n\r\n")).toLowerCase();
        assertThat(headers).contains("content-type: application/problem+json");
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        assertThat(body)
                .startsWith("{")
                .contains("\"type\":\"about:blank\"")
                .contains("\"status\":" + status)
                .doesNotContain("<html")
                .doesNotContain("timestamp");
        if (code != null) {
            assertThat(body).contains("\"code\":\"" + code + "\"");
        }
    }

    /** The raw answer to an upgrade request for {@code target}, read until the gateway closes the connection. */
    private String exchange(String target, String extraHeaders) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                            + "Connection: Upgrade, close\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                            + "Sec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            in.transferTo(response);
            return response.toString(StandardCharsets.UTF_8);
        }
    }
}
