package org.erpchat.message.group;

import java.util.Collection;
import java.util.stream.Collectors;
import org.erpchat.message.conversation.MemberRole;
import org.erpchat.message.user.UserRegistry;
import org.springframework.stereotype.Component;

/**
 * The text of the {@code system} messages that tell a group's members what changed, with the users' display names.
 * Stored once, in English, as clients show it.
 */
@Component
class GroupNotices {

    /**
     * Users named in one notice; the rest are counted ("and 990 others"). A notice is a sentence for people, and one
     * naming a thousand members (display names of up to 200 characters each) would also make a message larger than
     * Kafka takes, and the outbox, which never skips an entry, would stop there.
     */
    static final int MAX_NAMED = 10;

    private final UserRegistry users;

    GroupNotices(UserRegistry users) {
        this.users = users;
    }

    String created(long ownerId, String name, Collection<Long> others) {
        return nameOf(ownerId) + " created the group \"" + name + "\""
                + (others.isEmpty() ? "" : " with " + namesOf(others));
    }

    String added(long actorId, Collection<Long> added) {
        return nameOf(actorId) + " added " + namesOf(added);
    }

    String left(long userId) {
        return nameOf(userId) + " left the group";
    }

    String removed(long actorId, long userId) {
        return nameOf(actorId) + " removed " + nameOf(userId);
    }

    String roleChanged(long actorId, long userId, MemberRole role) {
        return nameOf(actorId) + " made " + nameOf(userId) + (role == MemberRole.ADMIN ? " an admin" : " a member");
    }

    String newOwner(long userId) {
        return nameOf(userId) + " is now the owner";
    }

    private String nameOf(long userId) {
        return users.nameOf(userId);
    }

    private String namesOf(Collection<Long> userIds) {
        String named = userIds.stream().limit(MAX_NAMED).map(this::nameOf).collect(Collectors.joining(", "));
        int others = userIds.size() - Math.min(userIds.size(), MAX_NAMED);
        return others == 0 ? named : named + " and " + others + (others == 1 ? " other" : " others");
    }
}
