package org.erpchat.support.web;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.Context;
import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.MediaType;

/**
 * Tomcat's own error report as a problem detail: what Tomcat refuses before the application sees it (a path with an
 * invalid escape such as {@code %zz} or an encoded slash, a character not allowed in a query) was answered with an
 * HTML page, the one answer of the API in another form. The detail is generic, as for the application's own error page
 * ({@link ProblemErrorController}): Tomcat's message may describe internals.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

    /**
     * Puts this valve in place of the host's error report valves (Spring Boot adds one of Tomcat's own), and names its
     * class as the host's, which otherwise adds Tomcat's own again when it starts.
     */
    static void replaceIn(Context context) {
        if (context.getParent() instanceof StandardHost host) {
            host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
        }
        Pipeline pipeline = context.getParent().getPipeline();
        for (Valve valve : pipeline.getValves()) {
            if (valve instanceof ErrorReportValve) {
                pipeline.removeValve(valve);
            }
        }
        pipeline.addValve(new ProblemErrorReportValve());
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int code = response.getStatus();
        // As Tomcat's own: nothing to add to a success or to a response the application already wrote.
        if (code < 400 || response.getContentWritten() > 0) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            PrintWriter writer = response.getReporter();
            if (writer != null) {
                writer.write(new String(ContainerProblems.json(code), StandardCharsets.UTF_8));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client went away, or the response can no longer be written: the status alone is the answer.
        }
    }
}
