package org.erpchat.support.domain;

/**
 * A request the domain refuses on purpose: invalid input, something the caller may not see, something it may see but
 * not do, or a reference to something that does not exist. It says which kind of refusal, never an HTTP status, so
 * that domain classes know nothing of the web; the web edge (service-support's {@code ProblemExceptionHandler}) maps
 * each kind to a status and a problem detail carrying {@link #code()} and the message as its {@code detail}.
 *
 * <p>Expected, frequent and cheap: no stack trace is captured.
 */
public class RefusedException extends RuntimeException {

    /** What kind of refusal: each maps to one status at the edge. */
    public enum Kind {
        /** Malformed, missing or out-of-range input (400). */
        INVALID,
        /** Does not exist, or the caller may not see it: indistinguishable on purpose, so nothing leaks (404). */
        NOT_FOUND,
        /** The caller may see it but not do this to it (403). */
        FORBIDDEN,
        /** Well-formed, but it names something that does not exist, such as an unknown user id (422). */
        UNPROCESSABLE
    }

    private final Kind kind;
    private final String code;

    public RefusedException(Kind kind, String code, String detail) {
        super(detail, null, false, false);
        this.kind = kind;
        this.code = code;
    }

    /** Invalid input, with the shared code {@code invalid_request}. */
    public static RefusedException invalid(String detail) {
        return new RefusedException(Kind.INVALID, "invalid_request", detail);
    }

    /** Not there or not the caller's to see, with the shared code {@code not_found}: "{@code <what>} not found". */
    public static RefusedException notFound(String what) {
        return new RefusedException(Kind.NOT_FOUND, "not_found", what + " not found");
    }

    /** Visible but not allowed, with the shared code {@code forbidden}. */
    public static RefusedException forbidden(String detail) {
        return new RefusedException(Kind.FORBIDDEN, "forbidden", detail);
    }

    public Kind kind() {
        return kind;
    }

    /** The machine-readable code a client branches on. */
    public String code() {
        return code;
    }
}
