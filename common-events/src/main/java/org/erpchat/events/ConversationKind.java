package org.erpchat.events;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum ConversationKind {
    @JsonProperty("private")
    PRIVATE,
    @JsonProperty("group")
    GROUP
}
