package org.erpchat.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The seed's message types plus {@code system}, which the service itself writes for membership notices. */
public enum MessageType {
    @JsonProperty("text")
    TEXT,
    @JsonProperty("file")
    FILE,
    @JsonProperty("image")
    IMAGE,
    @JsonProperty("system")
    SYSTEM
}
