package org.erpchat.message.conversation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The member ids of groups, for the send path, which puts them in every message's event. Reading all members of a
 * 1,000-member group for each message cost PostgreSQL about as much as storing the message, and a round trip; so a
 * list once read is kept with the group's {@code members_version} and used again while the version is the same.
 *
 * <p>Why a list used again is never stale: callers pass the group as their claim returned it ({@link
 * ConversationStore#claimNextSeq}, {@link ConversationStore#claimSeqs}), so its version was read under the group's row
 * lock, in the caller's transaction. Every change to a membership moves the version in the changing transaction (a
 * trigger, migration V2) and needs the same lock to do so, so while the caller holds it no change can commit: the
 * members committed now are exactly those of the version it holds. Versions come from a sequence and are never handed
 * out twice, so a list read at a version that was rolled back can never match again.
 */
@Component
public class GroupMembers {

    private record Snapshot(long version, List<Long> ids) {}

    private final ConversationStore store;
    /** Null when turned off. */
    private final Cache<Long, Snapshot> cache;

    GroupMembers(ConversationStore store, GroupMemberCacheProperties properties) {
        this.store = store;
        this.cache = properties.maxIds() == 0
                ? null
                : Caffeine.newBuilder()
                        .maximumWeight(properties.maxIds())
                        .weigher((Long group, Snapshot snapshot) ->
                                Math.max(1, snapshot.ids().size()))
                        .build();
    }

    /**
     * The members of {@code group} in ascending id order. {@code group} must come from a claim in the caller's
     * transaction, which still holds its lock.
     */
    public List<Long> of(ConversationRef group) {
        List<Long> cached = cached(group);
        if (cached != null) {
            return cached;
        }
        List<Long> ids = List.copyOf(store.memberIds(group.id()));
        remember(group, ids);
        return ids;
    }

    /**
     * {@link #of(ConversationRef)} for several groups, the ones not known at their version read in one query; a group
     * without members maps to an empty list.
     */
    public Map<Long, List<Long>> of(Collection<ConversationRef> groups) {
        Map<Long, List<Long>> members = new HashMap<>();
        List<ConversationRef> unknown = new ArrayList<>();
        for (ConversationRef group : groups) {
            List<Long> cached = cached(group);
            if (cached != null) {
                members.put(group.id(), cached);
            } else {
                unknown.add(group);
            }
        }
        if (!unknown.isEmpty()) {
            Map<Long, List<Long>> read =
                    store.memberIdsOf(unknown.stream().map(ConversationRef::id).toList());
            for (ConversationRef group : unknown) {
                List<Long> ids = List.copyOf(read.getOrDefault(group.id(), List.of()));
                members.put(group.id(), ids);
                remember(group, ids);
            }
        }
        return members;
    }

    private List<Long> cached(ConversationRef group) {
        if (cache == null) {
            return null;
        }
        Snapshot snapshot = cache.getIfPresent(group.id());
        return snapshot != null && snapshot.version() == group.membersVersion() ? snapshot.ids() : null;
    }

    private void remember(ConversationRef group, List<Long> ids) {
        if (cache != null) {
            cache.put(group.id(), new Snapshot(group.membersVersion(), ids));
        }
    }
}
