package org.erpchat.support.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents a problem an operation can answer beyond the ones every operation can give (400 {@code invalid_request}
 * when it takes input, 401, 500, 503: {@link ProblemApiDocs} adds those). Put one per code on the controller method;
 * the OpenAPI document then lists the status with the {@code Problem} schema and every code it may carry.
 *
 * <pre>
 * &#64;ProblemResponse(status = 404, code = ProblemCodes.NOT_FOUND, when = "no such group, or the caller is not in it")
 * </pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(ProblemResponse.List.class)
public @interface ProblemResponse {

    /** The HTTP status. */
    int status();

    /** The {@code code} member: one of {@link ProblemCodes} or a code of the feature. */
    String code();

    /** When the operation answers it, in a few words. */
    String when();

    /** The container of repeated {@link ProblemResponse}s. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface List {
        ProblemResponse[] value();
    }
}
