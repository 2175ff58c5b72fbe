package org.erpchat.message.web;

import java.net.URI;
import org.erpchat.events.RejectReason;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * An error the API answers on purpose: an RFC 9457 problem detail with a machine-readable {@code code} member. The
 * codes are those of {@link RejectReason} where they overlap, so REST and WebSocket clients handle refusals alike.
 */
public class ApiException extends ErrorResponseException {

    public static final String CODE = "code";

    private final String code;

    public ApiException(HttpStatus status, String code, String detail) {
        this(status, code, detail, null);
    }

    public ApiException(HttpStatus status, String code, String detail, HttpHeaders headers) {
        super(status, problem(status, code, detail), null);
        this.code = code;
        if (headers != null) {
            getHeaders().putAll(headers);
        }
    }

    public String code() {
        return code;
    }

    /** 404 for anything the caller may not see: identical whether the thing exists or not, so nothing leaks. */
    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, ErrorCodes.NOT_FOUND, what + " not found");
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, ErrorCodes.FORBIDDEN, detail);
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, ErrorCodes.INVALID_REQUEST, detail);
    }

    private static ProblemDetail problem(HttpStatus status, String code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("about:blank"));
        problem.setProperty(CODE, code);
        return problem;
    }
}
