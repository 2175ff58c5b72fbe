package org.erpchat.support.web;

import org.springframework.http.HttpStatusCode;

/**
 * The problem-details vocabulary every service shares: the {@code code} member of each RFC 9457 problem detail a
 * service answers for a failure that is not specific to one feature. A client can branch on these codes without
 * knowing which service answered. Feature-specific codes (message-service's send refusals, {@code unknown_user},
 * presence-service's {@code too_many_user_ids}) are defined next to the feature and travel the same way, through
 * {@link ApiException} or {@link org.erpchat.support.domain.RefusedException}. The list, with statuses and meanings, is documented once in docs/architecture.md.
 */
public final class ProblemCodes {

    /** The name of the extra member that carries the code in every problem detail. */
    public static final String MEMBER = "code";

    /** 400: malformed JSON, a value of the wrong type, a missing, malformed or out-of-range parameter or field. */
    public static final String INVALID_REQUEST = "invalid_request";
    /** 401: no bearer token, or one that is malformed, badly signed or expired. */
    public static final String UNAUTHORIZED = "unauthorized";
    /** 403: the caller may see the thing but not do this to it (a missing scope, a role that does not allow it). */
    public static final String FORBIDDEN = "forbidden";
    /** 404: no such path, or a thing that does not exist or that the caller may not see (indistinguishable). */
    public static final String NOT_FOUND = "not_found";
    /** 405: the path exists but not with this HTTP method. */
    public static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    /** 406: the {@code Accept} header asks for a representation the service does not produce. */
    public static final String NOT_ACCEPTABLE = "not_acceptable";
    /** 415: the request body is not {@code application/json}. */
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";
    /**
     * 503: a store the service needs (PostgreSQL, Redis) is unreachable or too slow, what the request changes stayed
     * locked past a lock timeout, or the key server a bearer token is checked with did not answer; retrying later may
     * work.
     */
    public static final String UNAVAILABLE = "unavailable";
    /** 500: anything unexpected; the body never reveals the cause. */
    public static final String INTERNAL_ERROR = "internal_error";

    private ProblemCodes() {}

    /** The code of a failure known only by its status (Spring MVC's own exceptions, container errors). */
    public static String forStatus(HttpStatusCode status) {
        return forStatus(status.value());
    }

    public static String forStatus(int status) {
        return switch (status) {
            case 400 -> INVALID_REQUEST;
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 503 -> UNAVAILABLE;
            // Any other client error is a request the service cannot take as it is (413, 414, 431, ...).
            default -> status >= 400 && status < 500 ? INVALID_REQUEST : INTERNAL_ERROR;
        };
    }
}
