-- The sweeper: every instance runs it; each expired item is removed by exactly one run, so nothing is announced twice.
-- ARGV[A]: the most items of each kind to handle in this run.
-- Returns {expired sessions, offline announced, expired typing, live sessions, online users, live gateways,
--          offline announced after grace, pending offlines that came due}.
local limit = tonumber(ARGV[A])
local offline = 0

local expired = redis.call('ZRANGEBYSCORE', SESSIONS, '-inf', NOW, 'LIMIT', 0, limit)
for _, member in ipairs(expired) do
    local sep = string.find(member, ':', 1, true)
    local uid, sid = string.sub(member, 1, sep - 1), string.sub(member, sep + 1)
    local expiry = tonumber(redis.call('ZSCORE', SESSIONS, member))
    redis.call('ZREM', SESSIONS, member)
    local key = user_sessions_key(uid)
    redis.call('HDEL', key, sid)
    if redis.call('HLEN', key) == 0 then
        -- The gateway stopped vouching for the session a TTL ago: no grace, the user was last seen then.
        go_offline(uid, expiry - SESSION_TTL)
        offline = offline + 1
    end
end

local after_grace = 0
local due = redis.call('ZRANGEBYSCORE', OFFLINE_PENDING, '-inf', NOW, 'LIMIT', 0, limit)
for _, uid in ipairs(due) do
    redis.call('ZREM', OFFLINE_PENDING, uid)
    if redis.call('HLEN', user_sessions_key(uid)) == 0 and redis.call('SISMEMBER', ONLINE, uid) == 1 then
        go_offline(uid, tonumber(redis.call('HGET', LAST_SEEN, uid) or NOW))
        after_grace = after_grace + 1
    end
end

local typing = redis.call('ZRANGEBYSCORE', TYPING, '-inf', NOW, 'LIMIT', 0, limit)
for _, member in ipairs(typing) do
    local sep = string.find(member, ':', 1, true)
    end_typing(string.sub(member, 1, sep - 1), string.sub(member, sep + 1), nil)
end

redis.call('ZREMRANGEBYSCORE', CLOSED, '-inf', NOW)
redis.call('ZREMRANGEBYSCORE', GATEWAYS, '-inf', NOW - SESSION_TTL)

return {#expired, offline, #typing, redis.call('ZCARD', SESSIONS), redis.call('SCARD', ONLINE),
        redis.call('ZCARD', GATEWAYS), after_grace, #due}
