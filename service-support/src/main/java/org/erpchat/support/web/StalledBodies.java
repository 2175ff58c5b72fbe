package org.erpchat.support.web;

import java.time.Duration;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.AbstractHttp11Protocol;

/**
 * Tomcat's wait for the next bytes of a request body, cut to {@link RequestBodyProperties#readTimeout()}.
 * {@link RequestBodyLimit} checks the body's deadline before and after each read, but a read blocked on a body that
 * stopped arriving altogether waits as long as the socket lets it: the connection timeout (60 s by default), and as
 * long again while Tomcat swallowed the rest. With the upload timeout set, that read fails after the read timeout,
 * Tomcat answers 408 itself, and the connection ends ({@link AbandonedBodyValve}).
 */
final class StalledBodies {

    private StalledBodies() {}

    static void limit(Connector connector, Duration readTimeout) {
        if (!(connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http)
                || readTimeout.isNegative()
                || readTimeout.isZero()) {
            return;
        }
        long wait = readTimeout.toMillis();
        if (http.getConnectionTimeout() > 0) {
            wait = Math.min(wait, http.getConnectionTimeout()); // never longer than Tomcat would wait anyway
        }
        http.setConnectionUploadTimeout((int) Math.min(wait, Integer.MAX_VALUE));
        http.setDisableUploadTimeout(false);
    }
}
