package org.erpchat.events;

import static org.erpchat.events.Require.instant;
import static org.erpchat.events.Require.notBlank;
import static org.erpchat.events.Require.positive;
import static org.erpchat.events.Require.present;
import static org.erpchat.events.Require.userIds;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * A group was created or its membership changed. {@code memberIds} is the full membership after the change, so a
 * consumer can replace what it cached; {@code affectedUserIds} are the users added, removed or whose role changed.
 * A group's id is its conversation id.
 */
public record GroupMembershipChanged(
        long groupId,
        String groupName,
        Change change,
        long actorId,
        List<Long> affectedUserIds,
        List<Long> memberIds,
        Instant occurredAt)
        implements ChatEvent {

    public enum Change {
        @JsonProperty("created")
        CREATED,
        @JsonProperty("members_added")
        MEMBERS_ADDED,
        @JsonProperty("members_removed")
        MEMBERS_REMOVED,
        @JsonProperty("role_changed")
        ROLE_CHANGED
    }

    public GroupMembershipChanged {
        positive(groupId, "groupId");
        notBlank(groupName, "groupName");
        present(change, "change");
        positive(actorId, "actorId");
        affectedUserIds = userIds(affectedUserIds, "affectedUserIds");
        memberIds = userIds(memberIds, "memberIds");
        instant(occurredAt, "occurredAt");
    }

    @Override
    public String partitionKey() {
        return Long.toString(groupId);
    }
}
