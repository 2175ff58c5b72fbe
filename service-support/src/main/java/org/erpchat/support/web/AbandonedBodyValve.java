package org.erpchat.support.web;

import jakarta.servlet.ServletException;
import java.io.IOException;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * Ends the connection of a request whose body was given up ({@link RequestBodyLimit}: one still arriving at its
 * deadline, or one that stopped arriving) instead of reading the rest of it. Tomcat otherwise reads what is left of a body after the answer, up to
 * {@code server.tomcat.max-swallow-size} (2 MB), one wait of the connection timeout per read: a client that trickles
 * its body would keep the request thread after its 408 for as long as it kept sending.
 */
final class AbandonedBodyValve extends ValveBase {

    AbandonedBodyValve() {
        super(true);
    }

    static void addTo(Context context) {
        context.getPipeline().addValve(new AbandonedBodyValve());
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        getNext().invoke(request, response);
        if (request.getAttribute(RequestBodyLimit.ABANDONED) == null) {
            return;
        }
        if (response.isError()) {
            // Tomcat gave the body up itself (its wait for the next bytes ran out: StalledBodies) and its error page,
            // the 408, is still to be written, after this valve: it goes out, then the connection closes, the rest of
            // the body unread. Without this Tomcat would wait for that rest as long again before closing.
            response.getCoyoteResponse().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
            return;
        }
        // Answered already: the answer goes out now, then the connection closes at once, the rest of the body
        // unread. (Closing "now" rather than "cleanly" also keeps Tomcat from adding its error page to the answer:
        // no further output is allowed.)
        response.flushBuffer();
        response.getCoyoteResponse().action(ActionCode.CLOSE_NOW, null);
    }
}
