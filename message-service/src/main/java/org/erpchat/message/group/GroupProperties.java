package org.erpchat.message.group;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.erpchat.events.EventLimits;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Groups.
 *
 * @param maxMembers the most members a group may have, its owner included; at most the user ids an event may list
 * @param maxNameLength the longest group name, in UTF-16 characters; at most 200, the width of the column
 * @param lockTimeout longest a membership change waits for the group (sends hold it for milliseconds each), and a
 *     creation for the same user's creations under way; one that waited longer is refused as unavailable (503) and
 *     may be retried
 * @param maxCreations the most groups one user may create within any {@code creationWindow}, counted by creator in
 *     PostgreSQL (so across instances); one more is refused as rate limited (429) until the oldest of them is that old.
 *     Each creation writes up to {@code maxMembers} memberships, a system message and two events
 * @param creationWindow see {@code maxCreations}: a rolling window
 */
@Validated
@ConfigurationProperties("chat.message.groups")
record GroupProperties(
        @Min(2) @Max(EventLimits.MAX_USER_IDS) @DefaultValue("1000")
        int maxMembers,

        @Min(1) @Max(200) @DefaultValue("200") int maxNameLength,

        @NotNull @DurationMin(millis = 1) @DefaultValue("5s")
        Duration lockTimeout,

        @Min(1) @DefaultValue("100") int maxCreations,

        @NotNull @DurationMin(seconds = 1) @DefaultValue("1h")
        Duration creationWindow) {}
