package org.erpchat.message.conversation;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The send path's memory of group members ({@link GroupMembers}).
 *
 * @param maxIds how many member ids it keeps in all, about 25 bytes each (500,000: about 12 MB, 500 groups of 1,000);
 *     the groups used least recently go first; 0 turns it off, and every group send reads its members
 */
@Validated
@ConfigurationProperties("chat.message.groups.member-cache")
record GroupMemberCacheProperties(
        @Min(0) @DefaultValue("500000") long maxIds) {}
