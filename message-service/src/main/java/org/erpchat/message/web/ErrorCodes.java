package org.erpchat.message.web;

/**
 * The {@code code} member of every problem detail this service writes. Send refusals use the {@code RejectReason} wire
 * codes ({@code invalid_message}, {@code content_too_long}, {@code unknown_receiver}, {@code unknown_group},
 * {@code self_message}, {@code rate_limited}); the rest are listed here.
 */
public final class ErrorCodes {

    /** Malformed JSON, a wrong type, a missing or out-of-range parameter. */
    public static final String INVALID_REQUEST = "invalid_request";
    /** The thing does not exist or the caller may not see it (the two are indistinguishable on purpose). */
    public static final String NOT_FOUND = "not_found";
    /** The caller may see the thing but not do this to it. */
    public static final String FORBIDDEN = "forbidden";
    /** A user id that this service has never heard of (group membership). */
    public static final String UNKNOWN_USER = "unknown_user";

    public static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";
    public static final String NOT_ACCEPTABLE = "not_acceptable";
    public static final String UNAVAILABLE = "unavailable";
    public static final String INTERNAL_ERROR = "internal_error";

    private ErrorCodes() {}
}
