package org.erpchat.gateway.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.protocol.WireJson;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.util.StreamUtils;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * JSON over HTTP to a backend service, on behalf of a user: every call carries that user's own token, so the backend
 * applies its own authorization and the gateway never sees more than the user may.
 */
final class JsonHttp {

    private final RestClient client;

    JsonHttp(GatewayProperties.Backend backend) {
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().connectTimeout(backend.connectTimeout()).build());
        factory.setReadTimeout(backend.readTimeout());
        this.client = RestClient.builder()
                .baseUrl(backend.baseUrl().toString())
                .requestFactory(factory)
                .build();
    }

    <T> T get(String token, Class<T> type, String path, Object... variables) {
        try {
            return client.get()
                    .uri(path, variables)
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                    .accept(MediaType.APPLICATION_JSON)
                    .exchange((request, response) -> read(request, response, type));
        } catch (ResourceAccessException e) {
            throw new BackendException(BackendException.Kind.UNAVAILABLE, "no answer from " + path, null, e);
        }
    }

    <T> T post(String token, Object body, Class<T> type, String path, Object... variables) {
        try {
            return client.post()
                    .uri(path, variables)
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                    .contentType(MediaType.APPLICATION_JSON)
                    .accept(MediaType.APPLICATION_JSON)
                    .body(WireJson.MAPPER.writeValueAsString(body))
                    .exchange((request, response) -> read(request, response, type));
        } catch (ResourceAccessException e) {
            throw new BackendException(BackendException.Kind.UNAVAILABLE, "no answer from " + path, null, e);
        }
    }

    private static <T> T read(HttpRequest request, ClientHttpResponse response, Class<T> type) throws IOException {
        int status = response.getStatusCode().value();
        try (InputStream body = response.getBody()) {
            if (status >= 200 && status < 300) {
                try {
                    // Parsed as it arrives: a replay's page is hundreds of kilobytes, which read whole first was
                    // allocated twice (the chunks, then one array of the page's size: past half a heap region, G1
                    // allocates that as humongous and starts a concurrent cycle for it).
                    T value = WireJson.MAPPER.readValue(StreamUtils.nonClosing(body), type);
                    // To its end (nothing but whitespace may follow), so that the connection is kept for the next
                    // call rather than closed with the stream.
                    body.transferTo(OutputStream.nullOutputStream());
                    return value;
                } catch (JacksonException e) {
                    throw new BackendException(
                            BackendException.Kind.UNAVAILABLE,
                            "unreadable answer from " + request.getURI().getPath(),
                            null,
                            e);
                }
            }
            byte[] bytes = body.readAllBytes();
            String detail = "HTTP " + status;
            String code = null;
            try {
                JsonNode problem = WireJson.MAPPER.readTree(bytes);
                detail = problem.path("detail").asString(detail);
                code = problem.path("code").isString() ? problem.get("code").stringValue() : null;
            } catch (JacksonException e) {
                // not a problem document; the status says enough
            }
            BackendException.Kind kind = switch (status) {
                case 401 -> BackendException.Kind.UNAUTHORIZED;
                case 403, 404 -> BackendException.Kind.NOT_FOUND;
                // The body took too long to arrive (a busy network, a pause): worth trying again, not the caller's
                // fault.
                case 408 -> BackendException.Kind.UNAVAILABLE;
                default -> status >= 500 ? BackendException.Kind.UNAVAILABLE : BackendException.Kind.REJECTED;
            };
            throw new BackendException(kind, detail, code, null);
        }
    }
}
