package org.erpchat.support.web;

import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.util.ClassUtils;

/**
 * Tomcat's refusal of a request's parameters: since Servlet 6.1, {@code getParameter} and its kin throw when the query
 * (or a form body) cannot be decoded, such as {@code ?ids=1%zz} or {@code ?limit=%}, or holds too many parameters.
 * Spring MVC meets that while binding a {@code @RequestParam}, so it reaches the exception handler as an
 * {@link IllegalStateException}, which is no bug of ours but the client's bad request. Tomcat itself gives the status
 * it means (400; 413 for a form body too large).
 */
final class InvalidParameters {

    // The class is looked at only where Tomcat is present: service-support runs on other containers too.
    private static final boolean ON_TOMCAT = ClassUtils.isPresent(
            "org.apache.tomcat.util.http.InvalidParameterException", InvalidParameters.class.getClassLoader());

    private InvalidParameters() {}

    /** The status Tomcat gives the refusal {@code e} carries (among its causes), or 0 when it carries none. */
    static int status(Throwable e) {
        if (!ON_TOMCAT) {
            return 0;
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof InvalidParameterException invalid) {
                return invalid.getErrorCode();
            }
        }
        return 0;
    }
}
