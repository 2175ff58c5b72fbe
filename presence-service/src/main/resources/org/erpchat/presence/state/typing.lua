-- TypingIndicated. ARGV[A..]: conversation id, user id, '1' (typing) or '0' (stopped), meta "<kind>|<id>,<id>,...",
-- the event's time (epoch ms).
-- Returns 1 = started or stopped (announced), 0 = refreshed or nothing to stop, -1 = ignored (user not online),
-- -2 = a start older than a session TTL (stale).
local conv, uid, typing, meta, at = ARGV[A], ARGV[A + 1], ARGV[A + 2], ARGV[A + 3], tonumber(ARGV[A + 4])
local member = conv .. ':' .. uid
if typing == '1' then
    if at + SESSION_TTL < NOW then
        -- Read late (a backlog after a Redis outage, a consumer far behind): it lapsed long ago, and announcing it now
        -- would show the user typing when they are not. Older than a session TTL, as for a stale heartbeat: the
        -- gateway's clock stamped it and Redis's judges it, so the tolerance must cover their skew.
        return -2
    end
    if redis.call('HLEN', user_sessions_key(uid)) == 0 then
        -- Only a user with a live session types; this keeps "offline ends typing" true.
        return -1
    end
    local existed = redis.call('ZSCORE', TYPING, member)
    redis.call('ZADD', TYPING, NOW + TYPING_TTL, member)
    redis.call('HSET', TYPING_META, member, meta)
    redis.call('SET', typing_key(conv, uid), '1', 'PX', TYPING_TTL)
    redis.call('SADD', user_typing_key(uid), conv)
    if existed then
        -- A repeat within the TTL (clients send one every few seconds while typing) only extends it.
        return 0
    end
    emit_typing(conv, uid, meta, true)
    return 1
end
if end_typing(conv, uid, meta) then
    return 1
end
return 0
