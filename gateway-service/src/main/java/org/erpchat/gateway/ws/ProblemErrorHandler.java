package org.erpchat.gateway.ws;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.erpchat.support.web.ProblemCodes;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Jetty's own error answers as problem details, in place of its HTML page: what Jetty refuses before any servlet sees
 * it (a request line it cannot parse, a path with an invalid percent-encoding, headers too large) is answered in the
 * same form and vocabulary as the gateway's other refusals (docs/protocol.md section 1). The detail is generic on
 * purpose: Jetty's message may quote the request or describe internals.
 */
final class ProblemErrorHandler extends ErrorHandler {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpField CONTENT_TYPE =
            new HttpField(HttpHeader.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE);

    @Override
    protected void generateResponse(
            Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        response.getHeaders().put(CONTENT_TYPE);
        response.write(true, body(code), callback);
    }

    /** The body of a request Jetty could not even parse into one (no request object exists). */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(CONTENT_TYPE);
        return body(status);
    }

    static ByteBuffer body(int code) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        String reason = HttpStatus.getMessage(code);
        problem.put("title", reason == null ? "Error" : reason);
        problem.put("status", code);
        problem.put(
                "detail", code < 500 ? "The request is malformed or was rejected" : "Something went wrong on our side");
        problem.put(ProblemCodes.MEMBER, ProblemCodes.forStatus(code));
        return ByteBuffer.wrap(JSON.writeValueAsString(problem).getBytes(StandardCharsets.UTF_8));
    }
}
