package org.erpchat.presence.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.erpchat.presence.state.RedisKeys;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;

/**
 * Reads presence as announced: a user is online exactly when the last {@code PresenceChanged} for them said so (the
 * {@code presence:online} set, which the {@code user:online:<id>} keys mirror).
 */
@Service
class PresenceReader {

    private final StringRedisTemplate redis;

    PresenceReader(StringRedisTemplate redis) {
        this.redis = redis;
    }

    /** The ids of every online user, ascending. */
    public List<Long> onlineUsers() {
        Set<String> members = redis.opsForSet().members(RedisKeys.ONLINE);
        if (members == null) {
            return List.of();
        }
        return members.stream().map(Long::valueOf).sorted().toList();
    }

    public UserPresence presence(long userId) {
        return presence(List.of(userId)).get(0);
    }

    /** Presence of each user, in the order asked; two commands whatever the number of users. */
    public List<UserPresence> presence(Collection<Long> userIds) {
        if (userIds.isEmpty()) {
            return List.of();
        }
        Object[] ids = userIds.stream().map(String::valueOf).toArray();
        Map<Object, Boolean> online = redis.opsForSet().isMember(RedisKeys.ONLINE, ids);
        List<Object> lastSeen = redis.opsForHash().multiGet(RedisKeys.LAST_SEEN, List.of(ids));
        List<UserPresence> result = new ArrayList<>(ids.length);
        int i = 0;
        for (Long userId : userIds) {
            Object seen = lastSeen.get(i++);
            result.add(new UserPresence(
                    userId,
                    online != null && Boolean.TRUE.equals(online.get(String.valueOf(userId))),
                    seen == null ? null : Instant.ofEpochMilli(Long.parseLong(seen.toString()))));
        }
        return result;
    }
}
