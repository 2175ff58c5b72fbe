package org.erpchat.gateway.backend;

/** A call to message-service or presence-service did not give the answer asked for. */
public class BackendException extends RuntimeException {

    public enum Kind {
        /** 404: the thing does not exist or the user may not see it (the two look the same on purpose). */
        NOT_FOUND,
        /** 401: the user's token was refused. */
        UNAUTHORIZED,
        /** Another 4xx: the request was refused; {@link #getMessage()} carries the problem detail. */
        REJECTED,
        /** No answer, a 5xx, or an answer that could not be read: worth retrying later. */
        UNAVAILABLE
    }

    private final Kind kind;
    private final String code;

    public BackendException(Kind kind, String message, String code, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.code = code;
    }

    public Kind kind() {
        return kind;
    }

    /** The problem detail's {@code code} member, when the answer had one. */
    public String code() {
        return code;
    }
}
