package org.erpchat.gateway.ws;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.erpchat.support.web.ContainerProblems;
import org.springframework.http.MediaType;

/**
 * Jetty's own error answers as problem details, in place of its HTML page: what Jetty refuses before any servlet sees
 * it (a request line it cannot parse, a path with an invalid percent-encoding, headers too large) is answered in the
 * same form and vocabulary as the gateway's other refusals (docs/protocol.md section 1), with the generic detail of
 * {@link ContainerProblems}: Jetty's own message may quote the request.
 */
final class ProblemErrorHandler extends ErrorHandler {

    private static final HttpField CONTENT_TYPE =
            new HttpField(HttpHeader.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE);

    @Override
    protected void generateResponse(
            Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        response.getHeaders().put(CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(ContainerProblems.json(code)), callback);
    }
}
