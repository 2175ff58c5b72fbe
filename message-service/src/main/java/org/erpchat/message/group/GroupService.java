package org.erpchat.message.group;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.erpchat.events.ConversationKind;
import org.erpchat.events.GroupMembershipChanged;
import org.erpchat.events.GroupMembershipChanged.Change;
import org.erpchat.events.MessageType;
import org.erpchat.events.SendRules;
import org.erpchat.message.conversation.ConversationRef;
import org.erpchat.message.conversation.ConversationStore;
import org.erpchat.message.conversation.Member;
import org.erpchat.message.conversation.MemberRole;
import org.erpchat.message.message.MessageAppender;
import org.erpchat.message.outbox.Outbox;
import org.erpchat.message.user.UserRegistry;
import org.erpchat.support.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Groups and their membership. Every change locks the group's conversation row first, so changes (and sends) to one
 * group happen one at a time; it is then announced twice through the outbox, in one transaction with the change: a
 * {@code GroupMembershipChanged} (gateways refresh membership and contacts) and a {@code system} message that takes the
 * next {@code seq} (clients show it in the conversation).
 *
 * <p>Rules: only members see a group (404 otherwise); the owner and admins add and remove members (403 for members);
 * admins cannot remove the owner or other admins; only the owner changes roles; anyone may leave. When the owner
 * leaves, the longest-standing admin (else member) becomes owner.
 */
@Service
class GroupService {

    /** 422: a group created with, or added, a user id this service has never heard of. */
    static final String UNKNOWN_USER = "unknown_user";

    private final ConversationStore conversations;
    private final MessageAppender messages;
    private final Outbox outbox;
    private final UserRegistry users;
    private final GroupProperties properties;
    private final JdbcClient jdbc;
    private final Clock clock;

    GroupService(
            ConversationStore conversations,
            MessageAppender messages,
            Outbox outbox,
            UserRegistry users,
            GroupProperties properties,
            JdbcClient jdbc,
            Clock clock) {
        this.conversations = conversations;
        this.messages = messages;
        this.outbox = outbox;
        this.users = users;
        this.properties = properties;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional
    public GroupView create(long ownerId, String rawName, Collection<Long> memberIds) {
        String name = validName(rawName);
        Set<Long> others = validUserIds(memberIds);
        others.remove(ownerId);
        if (others.size() + 1 > properties.maxMembers()) {
            throw ApiException.badRequest("a group has at most " + properties.maxMembers() + " members");
        }
        requireKnown(others);
        Instant now = clock.instant();
        long id = conversations.createGroup(name, ownerId, now);
        conversations.addMember(id, ownerId, MemberRole.OWNER, now);
        for (Long member : others) {
            conversations.addMember(id, member, MemberRole.MEMBER, now);
        }
        ConversationRef group = conversations.lock(id).orElseThrow();
        List<Long> everyone = new ArrayList<>();
        everyone.add(ownerId);
        everyone.addAll(others);
        announce(group, ownerId, Change.CREATED, everyone, now);
        String text = nameOf(ownerId) + " created the group \"" + name + "\""
                + (others.isEmpty() ? "" : " with " + namesOf(others));
        systemMessage(group, ownerId, text, now);
        return view(group.id()).orElseThrow();
    }

    @Transactional
    public GroupView addMembers(long actorId, long groupId, Collection<Long> userIds) {
        ConversationRef group = lockedGroup(groupId, actorId);
        Member actor = memberOrNotFound(group, actorId);
        if (!actor.role().managesMembers()) {
            throw ApiException.forbidden("only the group's owner and admins add members");
        }
        Set<Long> candidates = validUserIds(userIds);
        if (candidates.isEmpty()) {
            throw ApiException.badRequest("user_ids must list at least one user id");
        }
        requireKnown(candidates);
        Set<Long> current = Set.copyOf(conversations.memberIds(groupId));
        candidates.removeAll(current);
        if (current.size() + candidates.size() > properties.maxMembers()) {
            throw ApiException.badRequest("a group has at most " + properties.maxMembers() + " members");
        }
        Instant now = clock.instant();
        List<Long> added = new ArrayList<>();
        for (Long userId : candidates) {
            if (conversations.addMember(groupId, userId, MemberRole.MEMBER, now)) {
                added.add(userId);
            }
        }
        if (!added.isEmpty()) {
            announce(group, actorId, Change.MEMBERS_ADDED, added, now);
            systemMessage(group, actorId, nameOf(actorId) + " added " + namesOf(added), now);
        }
        return view(groupId).orElseThrow();
    }

    @Transactional
    public void removeMember(long actorId, long groupId, long userId) {
        ConversationRef group = lockedGroup(groupId, actorId);
        Member actor = memberOrNotFound(group, actorId);
        boolean leaving = actorId == userId;
        Member target = leaving ? actor : null;
        if (!leaving) {
            if (!actor.role().managesMembers()) {
                throw ApiException.forbidden("only the group's owner and admins remove members");
            }
            target = conversations.member(groupId, userId).orElseThrow(() -> ApiException.notFound("member"));
            if (target.role() == MemberRole.OWNER
                    || (actor.role() == MemberRole.ADMIN && target.role() == MemberRole.ADMIN)) {
                throw ApiException.forbidden("admins cannot remove the owner or other admins");
            }
        }
        Instant now = clock.instant();
        // The notice goes out before the removal, so the removed user receives it too.
        systemMessage(
                group,
                actorId,
                leaving ? nameOf(userId) + " left the group" : nameOf(actorId) + " removed " + nameOf(userId),
                now);
        conversations.removeMember(groupId, userId);
        announce(group, actorId, Change.MEMBERS_REMOVED, List.of(userId), now);
        if (target.role() == MemberRole.OWNER) {
            handOverOwnership(group, userId, now);
        }
    }

    @Transactional
    public GroupView changeRole(long actorId, long groupId, long userId, MemberRole role) {
        if (role == MemberRole.OWNER) {
            throw ApiException.badRequest("role must be admin or member");
        }
        ConversationRef group = lockedGroup(groupId, actorId);
        Member actor = memberOrNotFound(group, actorId);
        if (actor.role() != MemberRole.OWNER) {
            throw ApiException.forbidden("only the group's owner changes roles");
        }
        Member target = conversations.member(groupId, userId).orElseThrow(() -> ApiException.notFound("member"));
        if (target.role() == MemberRole.OWNER) {
            throw ApiException.badRequest("the owner's role cannot be changed");
        }
        if (conversations.setRole(groupId, userId, role)) {
            Instant now = clock.instant();
            announce(group, actorId, Change.ROLE_CHANGED, List.of(userId), now);
            systemMessage(
                    group,
                    actorId,
                    nameOf(actorId)
                            + (role == MemberRole.ADMIN
                                    ? " made " + nameOf(userId) + " an admin"
                                    : " made " + nameOf(userId) + " a member"),
                    now);
        }
        return view(groupId).orElseThrow();
    }

    @Transactional(readOnly = true)
    public Optional<GroupView> viewFor(long userId, long groupId) {
        return conversations
                .findForMember(groupId, userId)
                .filter(ConversationRef::isGroup)
                .flatMap(group -> view(group.id()));
    }

    /** The caller's groups in id order, each with its members: two queries whatever the number of groups. */
    @Transactional(readOnly = true)
    public List<GroupView> groupsOf(long userId) {
        List<ConversationRef> groups = jdbc.sql("""
                SELECT c.id, c.name, c.owner_id, c.created_at FROM conversation_members me
                JOIN conversations c ON c.id = me.conversation_id
                WHERE me.user_id = :user AND c.kind = 'group'
                ORDER BY c.id
                """)
                .param("user", userId)
                .query((rs, n) -> new ConversationRef(
                        rs.getLong("id"),
                        ConversationKind.GROUP,
                        rs.getString("name"),
                        rs.getObject("owner_id", Long.class),
                        null,
                        null,
                        0,
                        ConversationStore.instant(rs, "created_at")))
                .list();
        if (groups.isEmpty()) {
            return List.of();
        }
        Map<Long, List<GroupView.MemberView>> members = jdbc
                .sql("""
                SELECT conversation_id, user_id, role FROM conversation_members
                WHERE conversation_id IN (:ids) ORDER BY conversation_id, joined_at, user_id
                """)
                .param("ids", groups.stream().map(ConversationRef::id).toList())
                .query((rs, n) -> Map.entry(
                        rs.getLong("conversation_id"),
                        new GroupView.MemberView(rs.getLong("user_id"), MemberRole.fromWireName(rs.getString("role")))))
                .list()
                .stream()
                .collect(Collectors.groupingBy(
                        Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        return groups.stream()
                .map(group -> new GroupView(
                        group.id(),
                        group.name(),
                        group.ownerId(),
                        members.getOrDefault(group.id(), List.of()),
                        group.createdAt()))
                .toList();
    }

    private Optional<GroupView> view(long groupId) {
        return conversations
                .find(groupId)
                .filter(ConversationRef::isGroup)
                .map(group -> new GroupView(
                        group.id(),
                        group.name(),
                        group.ownerId(),
                        conversations.members(groupId).stream()
                                .map(member -> new GroupView.MemberView(member.userId(), member.role()))
                                .toList(),
                        group.createdAt()));
    }

    /** Locks the group; a missing group and one the actor is not in look the same (404). */
    private ConversationRef lockedGroup(long groupId, long actorId) {
        return conversations
                .lock(groupId)
                .filter(ConversationRef::isGroup)
                .filter(group -> conversations.member(groupId, actorId).isPresent())
                .orElseThrow(() -> ApiException.notFound("group"));
    }

    private Member memberOrNotFound(ConversationRef group, long userId) {
        return conversations.member(group.id(), userId).orElseThrow(() -> ApiException.notFound("group"));
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
        systemMessage(group, newOwner, nameOf(newOwner) + " is now the owner", now);
    }

    private void announce(ConversationRef group, long actorId, Change change, List<Long> affected, Instant now) {
        outbox.append(new GroupMembershipChanged(
                group.id(), group.name(), change, actorId, affected, conversations.memberIds(group.id()), now));
    }

    private void systemMessage(ConversationRef group, long actorId, String text, Instant now) {
        messages.append(group, actorId, MessageType.SYSTEM, text, null, "system-" + UUID.randomUUID(), null, now);
    }

    private String validName(String name) {
        if (name == null || name.isBlank()) {
            throw ApiException.badRequest("name is required");
        }
        // The name is stored and shown to every member: refuse what PostgreSQL cannot store or would store altered.
        String unstorable = SendRules.unstorableReason("name", name);
        if (unstorable != null) {
            throw ApiException.badRequest(unstorable);
        }
        String stripped = name.strip();
        if (stripped.length() > properties.maxNameLength()) {
            throw ApiException.badRequest("name is longer than " + properties.maxNameLength() + " characters");
        }
        return stripped;
    }

    private static Set<Long> validUserIds(Collection<Long> ids) {
        Set<Long> valid = new LinkedHashSet<>();
        if (ids == null) {
            return valid;
        }
        for (Long id : ids) {
            if (id == null || id <= 0) {
                throw ApiException.badRequest("user ids are positive integers");
            }
            valid.add(id);
        }
        return valid;
    }

    private void requireKnown(Collection<Long> userIds) {
        Set<Long> unknown = users.unknownAmong(userIds);
        if (!unknown.isEmpty()) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, UNKNOWN_USER, "unknown user ids: " + unknown);
        }
    }

    private String nameOf(long userId) {
        return users.nameOf(userId);
    }

    private String namesOf(Collection<Long> userIds) {
        return userIds.stream().map(this::nameOf).collect(Collectors.joining(", "));
    }
}
