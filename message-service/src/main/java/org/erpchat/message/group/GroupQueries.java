package org.erpchat.message.group;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.erpchat.events.ConversationKind;
import org.erpchat.message.conversation.ConversationRef;
import org.erpchat.message.conversation.ConversationStore;
import org.erpchat.message.conversation.MemberRole;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Groups as the API shows them, to their members only. */
@Component
class GroupQueries {

    private final ConversationStore conversations;
    private final JdbcClient jdbc;

    GroupQueries(ConversationStore conversations, JdbcClient jdbc) {
        this.conversations = conversations;
        this.jdbc = jdbc;
    }

    /** The group if {@code userId} is in it; empty for a group that does not exist and one the user is not in. */
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
                        ConversationStore.instant(rs, "created_at"),
                        0))
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

    /** The group as it is now, in the caller's transaction (after a change, to answer with it). */
    Optional<GroupView> view(long groupId) {
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
}
