package org.erpchat.message.group;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.erpchat.events.EventLimits;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Groups.
 *
 * @param maxMembers the most members a group may have, its owner included; at most the user ids an event may list
 * @param maxNameLength the longest group name, in UTF-16 characters; at most 200, the width of the column
 */
@Validated
@ConfigurationProperties("chat.message.groups")
record GroupProperties(
        @Min(2) @Max(EventLimits.MAX_USER_IDS) @DefaultValue("1000")
        int maxMembers,

        @Min(1) @Max(200) @DefaultValue("200") int maxNameLength) {}
