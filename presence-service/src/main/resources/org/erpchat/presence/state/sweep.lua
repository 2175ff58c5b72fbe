-- The sweeper: every instance runs it; each expired item is removed by exactly one run, so nothing is announced twice.
-- ARGV[A]: the most items of each kind to handle in this run.
-- Returns {expired sessions, offline announced, expired typing, live sessions, online users, live gateways,
--          offline announced after grace, pending offlines that came due, outbox length}.
local limit = tonumber(ARGV[A])
local offline = 0

-- Nobody swept for half a session TTL: every instance (or Redis) was down, and no heartbeat was applied meanwhile.
-- Expiring now would take every user offline at once and bring them back as the consumers catch up on the
-- heartbeats they missed. Give the consumers one session TTL to catch up first; dead sessions expire after that.
local last = tonumber(redis.call('GET', LAST_SWEEP) or '0')
redis.call('SET', LAST_SWEEP, NOW)
if last > 0 and NOW - last > SESSION_TTL / 2 then
    redis.call('SET', SWEEP_RESUME_AT, NOW + SESSION_TTL, 'PX', SESSION_TTL)
end

local expired = {}
if not redis.call('GET', SWEEP_RESUME_AT) then
    expired = redis.call('ZRANGEBYSCORE', SESSIONS, '-inf', NOW, 'LIMIT', 0, limit)
end
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
        redis.call('ZCARD', GATEWAYS), after_grace, #due, redis.call('XLEN', OUTBOX)}
