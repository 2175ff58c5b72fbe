package org.erpchat.support.web;

import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * An error a service answers on purpose: an RFC 9457 problem detail ({@code application/problem+json}) with a
 * machine-readable {@code code} member. Throw it from a controller; domain classes throw
 * {@link org.erpchat.support.domain.RefusedException}, which knows no HTTP. {@link ProblemExceptionHandler} writes
 * both. The shared codes are in {@link ProblemCodes}; a feature may use its own.
 */
public class ApiException extends ErrorResponseException {

    private final String code;

    public ApiException(HttpStatusCode status, String code, String detail) {
        this(status, code, detail, null);
    }

    /** With extra response headers (such as {@code Retry-After}). */
    public ApiException(HttpStatusCode status, String code, String detail, HttpHeaders headers) {
        super(status, problem(status, code, detail), null);
        this.code = code;
        if (headers != null) {
            getHeaders().putAll(headers);
        }
    }

    public String code() {
        return code;
    }

    /** 400 {@code invalid_request}. */
    public static ApiException badRequest(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, ProblemCodes.INVALID_REQUEST, detail);
    }

    /** 404 for anything the caller may not see: identical whether the thing exists or not, so nothing leaks. */
    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, ProblemCodes.NOT_FOUND, what + " not found");
    }

    /** 403: the caller may see the thing but not do this to it. */
    public static ApiException forbidden(String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, ProblemCodes.FORBIDDEN, detail);
    }

    static ProblemDetail problem(HttpStatusCode status, String code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("about:blank"));
        problem.setProperty(ProblemCodes.MEMBER, code);
        return problem;
    }
}
