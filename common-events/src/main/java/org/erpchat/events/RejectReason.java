package org.erpchat.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Why an asynchronous send was refused. The same codes appear in REST problem details and WebSocket errors. */
public enum RejectReason {
    /** A required field is missing or malformed. */
    @JsonProperty("invalid_message")
    INVALID_MESSAGE,
    /** The content is longer than the configured limit. */
    @JsonProperty("content_too_long")
    CONTENT_TOO_LONG,
    /** The receiver of a private message is not a known user. */
    @JsonProperty("unknown_receiver")
    UNKNOWN_RECEIVER,
    /** The group does not exist, or the sender is not a member (the two are indistinguishable on purpose). */
    @JsonProperty("unknown_group")
    UNKNOWN_GROUP,
    /** Private messages to oneself are refused. */
    @JsonProperty("self_message")
    SELF_MESSAGE,
    /** The sender exceeded the per-user send rate. */
    @JsonProperty("rate_limited")
    RATE_LIMITED,
    /** The service could not process the send; the client may retry with the same client message id. */
    @JsonProperty("internal_error")
    INTERNAL_ERROR
}
