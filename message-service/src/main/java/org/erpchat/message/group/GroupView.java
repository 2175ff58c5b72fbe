package org.erpchat.message.group;

import java.time.Instant;
import java.util.List;
import org.erpchat.message.conversation.MemberRole;

/** A group as the API shows it; its id is its conversation id. */
record GroupView(long id, String name, Long ownerId, List<MemberView> members, Instant createdAt) {

    record MemberView(long userId, MemberRole role) {}
}
