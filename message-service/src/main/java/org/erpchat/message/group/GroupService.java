package org.erpchat.message.group;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.erpchat.events.GroupMembershipChanged;
import org.erpchat.events.GroupMembershipChanged.Change;
import org.erpchat.events.MessageType;
import org.erpchat.events.RejectReason;
import org.erpchat.message.conversation.ConversationRef;
import org.erpchat.message.conversation.ConversationStore;
import org.erpchat.message.conversation.Member;
import org.erpchat.message.conversation.MemberRole;
import org.erpchat.message.message.MessageAppender;
import org.erpchat.message.message.SendRejectedException;
import org.erpchat.message.outbox.Outbox;
import org.erpchat.message.user.UserRegistry;
import org.erpchat.support.domain.RefusedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Changes to groups and their membership. Every change locks the group's conversation row first (once a read without
 * the lock has shown that the caller is in the group: an outsider never holds it), so changes (and sends) to one group
 * happen one at a time; it is then announced twice through the outbox, in one transaction with the change: a
 * {@code GroupMembershipChanged} (gateways refresh membership and contacts) and a {@code system} message that takes the
 * next {@code seq} (clients show it in the conversation).
 *
 * <p>Rules: only members see a group (not found otherwise); the owner and admins add and remove members (forbidden
 * for members); admins cannot remove the owner or other admins; only the owner changes roles; anyone may leave. When
 * the owner leaves, the longest-standing admin (else member) becomes owner. A user creates at most
 * {@code groups.max-creations} groups per {@code groups.creation-window} ({@link GroupCreationLimit}); one more is
 * refused as a send over its rate is ({@code rate_limited}, with the wait).
 */
@Service
class GroupService {

    /** A group created with, or added, a user id this service has never heard of (422). */
    static final String UNKNOWN_USER = "unknown_user";

    /** How many unknown ids a 422's detail names. */
    static final int UNKNOWN_IDS_NAMED = 10;

    private final ConversationStore conversations;
    private final MessageAppender messages;
    private final Outbox outbox;
    private final UserRegistry users;
    private final GroupQueries queries;
    private final GroupNotices notices;
    private final GroupCreationLimit creationLimit;
    private final GroupProperties properties;
    private final Clock clock;

    GroupService(
            ConversationStore conversations,
            MessageAppender messages,
            Outbox outbox,
            UserRegistry users,
            GroupQueries queries,
            GroupNotices notices,
            GroupCreationLimit creationLimit,
            GroupProperties properties,
            Clock clock) {
        this.conversations = conversations;
        this.messages = messages;
        this.outbox = outbox;
        this.users = users;
        this.queries = queries;
        this.notices = notices;
        this.creationLimit = creationLimit;
        this.properties = properties;
        this.clock = clock;
    }

    @Transactional
    public GroupView create(long ownerId, String rawName, Collection<Long> memberIds) {
        String name = GroupInput.name(rawName, properties.maxNameLength());
        Set<Long> others = GroupInput.userIds(memberIds);
        others.remove(ownerId);
        GroupInput.requireAtMost(others.size() + 1, properties.maxMembers());
        Instant now = clock.instant();
        // Before the ids are looked up: a user over the bound costs one lock and one short index scan.
        creationLimit.waitBeforeCreating(ownerId, now).ifPresent(wait -> {
            String window = properties.creationWindow().toString().substring(2).toLowerCase(Locale.ROOT); // PT1H: 1h
            throw new SendRejectedException(
                    RejectReason.RATE_LIMITED,
                    "at most " + properties.maxCreations() + " groups created per " + window,
                    wait);
        });
        requireKnown(others);
        long id = conversations.createGroup(name, ownerId, now);
        creationLimit.created(ownerId, id, now);
        conversations.addMember(id, ownerId, MemberRole.OWNER, now);
        for (Long member : others) {
            conversations.addMember(id, member, MemberRole.MEMBER, now);
        }
        ConversationRef group = conversations.lock(id, properties.lockTimeout()).orElseThrow();
        List<Long> everyone = new ArrayList<>();
        everyone.add(ownerId);
        everyone.addAll(others);
        announce(group, ownerId, Change.CREATED, everyone, now);
        systemMessage(group, ownerId, notices.created(ownerId, name, others), now);
        return queries.view(group.id()).orElseThrow();
    }

    @Transactional
    public GroupView addMembers(long actorId, long groupId, Collection<Long> userIds) {
        Set<Long> candidates = GroupInput.userIds(userIds);
        if (candidates.isEmpty()) {
            throw RefusedException.invalid("user_ids must list at least one user id");
        }
        // The group after the change has at least these members: a request over the limit is refused before it
        // takes the group's lock or looks up a single id.
        GroupInput.requireAtMost(candidates.size(), properties.maxMembers());
        ConversationRef group = lockedGroup(groupId, actorId);
        Member actor = memberOrNotFound(group, actorId);
        if (!actor.role().managesMembers()) {
            throw RefusedException.forbidden("only the group's owner and admins add members");
        }
        requireKnown(candidates);
        Set<Long> current = Set.copyOf(conversations.memberIds(groupId));
        candidates.removeAll(current);
        GroupInput.requireAtMost(current.size() + candidates.size(), properties.maxMembers());
        Instant now = clock.instant();
        List<Long> added = new ArrayList<>();
        for (Long userId : candidates) {
            if (conversations.addMember(groupId, userId, MemberRole.MEMBER, now)) {
                added.add(userId);
            }
        }
        if (!added.isEmpty()) {
            announce(group, actorId, Change.MEMBERS_ADDED, added, now);
            systemMessage(group, actorId, notices.added(actorId, added), now);
        }
        return queries.view(groupId).orElseThrow();
    }

    @Transactional
    public void removeMember(long actorId, long groupId, long userId) {
        ConversationRef group = lockedGroup(groupId, actorId);
        Member actor = memberOrNotFound(group, actorId);
        boolean leaving = actorId == userId;
        Member target = leaving ? actor : null;
        if (!leaving) {
            if (!actor.role().managesMembers()) {
                throw RefusedException.forbidden("only the group's owner and admins remove members");
            }
            target = conversations.member(groupId, userId).orElseThrow(() -> RefusedException.notFound("member"));
            if (target.role() == MemberRole.OWNER
                    || (actor.role() == MemberRole.ADMIN && target.role() == MemberRole.ADMIN)) {
                throw RefusedException.forbidden("admins cannot remove the owner or other admins");
            }
        }
        Instant now = clock.instant();
        // The notice goes out before the removal, so the removed user receives it too.
        systemMessage(group, actorId, leaving ? notices.left(userId) : notices.removed(actorId, userId), now);
        conversations.removeMember(groupId, userId);
        announce(group, actorId, Change.MEMBERS_REMOVED, List.of(userId), now);
        if (target.role() == MemberRole.OWNER) {
            handOverOwnership(group, userId, now);
        }
    }

    @Transactional
    public GroupView changeRole(long actorId, long groupId, long userId, MemberRole role) {
        if (role == MemberRole.OWNER) {
            throw RefusedException.invalid("role must be admin or member");
        }
        ConversationRef group = lockedGroup(groupId, actorId);
        Member actor = memberOrNotFound(group, actorId);
        if (actor.role() != MemberRole.OWNER) {
            throw RefusedException.forbidden("only the group's owner changes roles");
        }
        Member target = conversations.member(groupId, userId).orElseThrow(() -> RefusedException.notFound("member"));
        if (target.role() == MemberRole.OWNER) {
            throw RefusedException.invalid("the owner's role cannot be changed");
        }
        if (conversations.setRole(groupId, userId, role)) {
            Instant now = clock.instant();
            announce(group, actorId, Change.ROLE_CHANGED, List.of(userId), now);
            systemMessage(group, actorId, notices.roleChanged(actorId, userId, role), now);
        }
        return queries.view(groupId).orElseThrow();
    }

    /**
     * Locks the group; a missing group, a conversation that is not a group and one the actor is not in look the same
     * (not found). Those are refused before the lock is asked for, so that nobody outside a conversation can hold up
     * its members' sends and changes by taking its row lock, and checked again under the lock, where the membership
     * is settled.
     */
    private ConversationRef lockedGroup(long groupId, long actorId) {
        conversations
                .findForMember(groupId, actorId)
                .filter(ConversationRef::isGroup)
                .orElseThrow(() -> RefusedException.notFound("group"));
        return conversations
                .lock(groupId, properties.lockTimeout())
                .filter(ConversationRef::isGroup)
                .filter(group -> conversations.member(groupId, actorId).isPresent())
                .orElseThrow(() -> RefusedException.notFound("group"));
    }

    private Member memberOrNotFound(ConversationRef group, long userId) {
        return conversations.member(group.id(), userId).orElseThrow(() -> RefusedException.notFound("group"));
    }

    private void handOverOwnership(ConversationRef group, long formerOwner, Instant now) {
        List<Member> remaining = conversations.members(group.id());
        Optional<Member> successor = remaining.stream()
                .filter(member -> member.role() == MemberRole.ADMIN)
                .findFirst()
                .or(() -> remaining.stream().findFirst());
        if (successor.isEmpty()) {
            return; // the last member left: the group stays, empty, and nobody can see it
        }
        long newOwner = successor.get().userId();
        conversations.setRole(group.id(), newOwner, MemberRole.OWNER);
        conversations.setOwner(group.id(), newOwner);
        announce(group, formerOwner, Change.ROLE_CHANGED, List.of(newOwner), now);
        systemMessage(group, newOwner, notices.newOwner(newOwner), now);
    }

    private void announce(ConversationRef group, long actorId, Change change, List<Long> affected, Instant now) {
        outbox.append(new GroupMembershipChanged(
                group.id(), group.name(), change, actorId, affected, conversations.memberIds(group.id()), now));
    }

    private void systemMessage(ConversationRef group, long actorId, String text, Instant now) {
        messages.append(group, actorId, MessageType.SYSTEM, text, null, "system-" + UUID.randomUUID(), null, now);
    }

    private void requireKnown(Collection<Long> userIds) {
        Set<Long> unknown = users.unknownAmong(userIds);
        if (!unknown.isEmpty()) {
            throw new RefusedException(RefusedException.Kind.UNPROCESSABLE, UNKNOWN_USER, unknownIds(unknown));
        }
    }

    /** The first few unknown ids in order and how many others: a detail stays short however many ids were sent. */
    static String unknownIds(Collection<Long> unknown) {
        List<Long> named = unknown.stream().sorted().limit(UNKNOWN_IDS_NAMED).toList();
        int others = unknown.size() - named.size();
        return "unknown user ids: " + named + (others > 0 ? " and " + others + " more" : "");
    }
}
