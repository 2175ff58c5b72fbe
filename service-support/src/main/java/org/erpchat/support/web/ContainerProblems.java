package org.erpchat.support.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * The problem detail for a refusal that carries nothing specific to say: an unknown path, a request the web server
 * could not parse, a refused handshake. One wording and one form, whichever layer writes it (the error page, Tomcat's
 * report valve, the gateway's Jetty error handler and handshake). The detail is generic on purpose: a container's own
 * message may quote the request or describe internals.
 */
public final class ContainerProblems {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ContainerProblems() {}

    /** The generic detail for {@code status}. */
    public static String detail(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        if (known == HttpStatus.BAD_REQUEST) {
            return "The request is malformed or was rejected";
        }
        if (known == HttpStatus.NOT_FOUND) {
            return "No such resource";
        }
        if (known == HttpStatus.METHOD_NOT_ALLOWED) {
            return "This method is not allowed here";
        }
        if (status >= 400 && status < 500) {
            return "The request was refused" + (known == null ? "" : ": " + known.getReasonPhrase());
        }
        return "Something went wrong on our side";
    }

    /** The RFC 9457 body for {@code status}, with our {@code code} for it and the generic detail, as UTF-8 JSON. */
    public static byte[] json(int status) {
        return json(status, ProblemCodes.forStatus(status), detail(status));
    }

    /** The RFC 9457 body for {@code status} with {@code code} and {@code detail}, as UTF-8 JSON. */
    public static byte[] json(int status, String code, String detail) {
        HttpStatus known = HttpStatus.resolve(status);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", known == null ? "Error" : known.getReasonPhrase());
        body.put("status", status);
        body.put("detail", detail);
        body.put(ProblemCodes.MEMBER, code);
        return JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    }
}
