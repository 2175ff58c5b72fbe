-- The sweeper: every instance runs it; each expired item is removed by exactly one run, so nothing is announced twice.
-- ARGV[A]: the most items of each kind to handle in this run.
-- ARGV[A + 1]: '1' while the calling instance cannot reach Kafka (so cannot hear the gateways' heartbeats).
-- Returns {expired sessions, offline announced, expired typing, live sessions, online users, live gateways,
--          offline announced after grace, pending offlines that came due, outbox length}.
local limit = tonumber(ARGV[A])
local kafka_unreachable = ARGV[A + 1] == '1'
local offline = 0

-- Nobody swept for half a session TTL: every instance (or Redis) was down, and no heartbeat was applied meanwhile.
-- Expiring now would take every user offline at once and bring them back as the consumers catch up on the
-- heartbeats they missed. Give the consumers one session TTL to catch up first; dead sessions expire after that.
local last = tonumber(redis.call('GET', LAST_SWEEP) or '0')
redis.call('SET', LAST_SWEEP, NOW)
if last > 0 and NOW - last > SESSION_TTL / 2 then
    redis.call('SET', SWEEP_RESUME_AT, NOW + SESSION_TTL, 'PX', SESSION_TTL)
end
-- Kafka unreachable: the gateways' heartbeats cannot arrive, so silence says nothing about their users. Hold expiry
-- for as long as that lasts and one session TTL beyond (re-armed by every sweep meanwhile), the time the gateways'
-- next heartbeats need to get through. Any instance that cannot reach Kafka holds expiry for all of them.
if kafka_unreachable then
    redis.call('SET', SWEEP_RESUME_AT, NOW + SESSION_TTL, 'PX', SESSION_TTL)
    -- The seed's user:online keys are kept alive by heartbeats, which cannot come now: walk the online users a page
    -- per sweep (ten batches' worth, so a whole pass takes far less than the keys' TTL) and renew them.
    local cursor = redis.call('GET', ONLINE_REFRESH_CURSOR) or '0'
    local page = redis.call('SSCAN', ONLINE, cursor, 'COUNT', limit * 10)
    for _, uid in ipairs(page[2]) do
        redis.call('SET', user_online_key(uid), '1', 'PX', ONLINE_KEY_TTL)
    end
    redis.call('SET', ONLINE_REFRESH_CURSOR, page[1], 'PX', ONLINE_KEY_TTL)
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
local due = {}
-- A session that reopened during the outage could not say so: pending offlines wait until Kafka is back.
if not kafka_unreachable then
    due = redis.call('ZRANGEBYSCORE', OFFLINE_PENDING, '-inf', NOW, 'LIMIT', 0, limit)
end
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
