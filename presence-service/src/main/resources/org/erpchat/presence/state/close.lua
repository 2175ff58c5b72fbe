-- ConnectionClosed. ARGV[A..]: user id, session id.
-- Returns 1 = user went offline (announced), 2 = offline pending its grace period, 0 = no presence change.
local uid, sid = ARGV[A], ARGV[A + 1]
local member = uid .. ':' .. sid
local key = user_sessions_key(uid)
-- Remember the close for a while, so a late or duplicate open (or a stale heartbeat) cannot resurrect the session.
redis.call('ZADD', CLOSED, NOW + CLOSED_RETENTION, member)
if redis.call('ZREM', SESSIONS, member) == 1 then
    redis.call('HDEL', key, sid)
    if redis.call('HLEN', key) == 0 then
        return begin_offline(uid)
    end
    return 0
end
-- A session we do not know: never opened, closed twice, or lost with Redis's data.
if redis.call('HLEN', key) > 0 then
    return 0
end
if redis.call('SISMEMBER', ONLINE, uid) == 1 then
    if redis.call('ZSCORE', OFFLINE_PENDING, uid) then
        return 2
    end
    -- Announced online without a session: only possible after partial data loss. Heal it.
    return begin_offline(uid)
end
if REBUILDING and redis.call('HEXISTS', LAST_SEEN, uid) == 0 then
    -- Redis lost its data and this close is the only news about the user: they may well have been announced online
    -- before. A redundant offline is harmless; a ghost "online" is the bug users report most.
    return begin_offline(uid)
end
return 0
