package org.erpchat.message.conversation;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** A participant's role. Private conversations have two {@code member}s; a group has one {@code owner}. */
public enum MemberRole {
    @JsonProperty("owner")
    OWNER,
    @JsonProperty("admin")
    ADMIN,
    @JsonProperty("member")
    MEMBER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MemberRole fromWireName(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** May add and remove members. */
    public boolean managesMembers() {
        return this == OWNER || this == ADMIN;
    }
}
