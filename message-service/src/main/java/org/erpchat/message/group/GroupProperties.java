package org.erpchat.message.group;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Groups.
 *
 * @param maxMembers the most members a group may have, its owner included
 * @param maxNameLength the longest group name, in UTF-16 characters; at most 200, the width of the column
 */
@Validated
@ConfigurationProperties("chat.message.groups")
record GroupProperties(
        @Min(2) @DefaultValue("1000") int maxMembers,
        @Min(1) @Max(200) @DefaultValue("200") int maxNameLength) {}
