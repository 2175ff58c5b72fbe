package org.erpchat.message.group;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
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

    /** Position after which the next page starts: the id of the page's last group. */
    record Cursor(long afterId) {

        String encode() {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(Long.toString(afterId).getBytes(StandardCharsets.US_ASCII));
        }

        /** Only what {@link #encode} makes: a positive id, written as {@link Long#toString} writes it. */
        static Optional<Cursor> decode(String text) {
            try {
                String id = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
                long afterId = Long.parseLong(id);
                return afterId > 0 && Long.toString(afterId).equals(id)
                        ? Optional.of(new Cursor(afterId))
                        : Optional.empty();
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    /** @param next where the next page starts; null on the last page */
    record Page(List<GroupView> groups, Cursor next) {}

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

    /**
     * A page of the caller's groups in id order, each with its members: two queries whatever the page's size. The page
     * is a range scan of the caller's memberships from the cursor on ({@code conversation_members_by_user}, in
     * conversation id order), stopped after {@code limit + 1} groups; the members of the page's groups come in one
     * query.
     */
    @Transactional(readOnly = true)
    Page page(long userId, Cursor after, int limit) {
        List<ConversationRef> rows = jdbc.sql("""
                SELECT c.id, c.name, c.owner_id, c.created_at FROM conversation_members me
                JOIN conversations c ON c.id = me.conversation_id
                WHERE me.user_id = :user AND me.conversation_id > :after AND c.kind = 'group'
                ORDER BY me.conversation_id
                LIMIT :limit
                """)
                .param("user", userId)
                .param("after", after == null ? 0L : after.afterId())
                .param("limit", limit + 1)
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
        boolean more = rows.size() > limit;
        List<ConversationRef> groups = more ? rows.subList(0, limit) : rows;
        Cursor next = more ? new Cursor(groups.get(groups.size() - 1).id()) : null;
        if (groups.isEmpty()) {
            return new Page(List.of(), null);
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
        return new Page(
                groups.stream()
                        .map(group -> new GroupView(
                                group.id(),
                                group.name(),
                                group.ownerId(),
                                members.getOrDefault(group.id(), List.of()),
                                group.createdAt()))
                        .toList(),
                next);
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
