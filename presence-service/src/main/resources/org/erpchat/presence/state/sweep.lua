-- The sweeper: every instance runs it; each expired item is removed by exactly one run, so nothing is announced twice.
-- ARGV[A]: the most items of each kind to handle in this run.
-- ARGV[A + 1]: '1' while the calling instance cannot reach Kafka (so cannot hear the gateways' heartbeats).
-- ARGV[A + 2]: how long (ms) an instance's marks (KAFKA_UNREACHABLE, KAFKA_REACHED) outlive its last sweep: a few sweep
--              intervals.
-- ARGV[A + 3]: for a caller that cannot reach Kafka, for how long (ms) its sweeps have found that another instance
--              reaches it (0 if they have not).
-- ARGV[A + 4]: kafka-probe.local-outage-hold (ms).
-- Returns {expired sessions, offline announced, expired typing, live sessions, online users, live gateways,
--          offline announced after grace, pending offlines that came due, outbox length, 1 if expiry was held,
--          1 if an instance that reaches Kafka swept within the marks' TTL (before this run's own mark),
--          1 if this run held expiry and pending offlines for every instance because the caller cannot reach Kafka}.
local limit = tonumber(ARGV[A])
local kafka_unreachable = ARGV[A + 1] == '1'
local mark_ttl = tonumber(ARGV[A + 2]) or math.floor(SESSION_TTL / 4)
local outvoted_for = tonumber(ARGV[A + 3]) or 0
local local_outage_hold = tonumber(ARGV[A + 4])
local offline = 0

-- After heartbeats stopped getting through, silence says nothing about the users until they flow again, and "Kafka
-- answers again" is not enough: a broker that answers metadata requests may still be electing leaders and rebalancing
-- its groups for longer than a TTL. So the wait starts with the gateways live at that moment (AWAITED_GATEWAYS) and
-- AWAITING_HEARTBEATS = 'waiting': nothing expires. The first fresh heartbeat makes it 'heard' and holds expiry one
-- more session TTL (heartbeat.lua); after that, sessions expire again except those of gateways not heard since, which
-- wait until their gateway is heard or HEARTBEAT_WAIT has passed since the last sweep that armed the wait (a gateway
-- not heard by then is not alive to be heard). Heartbeats that stop again while the last wait was 'heard' start a new
-- wait: the gateways heard in between must be heard again.
local function await_heartbeats()
    redis.call('SET', SWEEP_RESUME_AT, NOW + SESSION_TTL, 'PX', SESSION_TTL)
    if redis.call('GET', AWAITING_HEARTBEATS) ~= 'waiting' then
        redis.call('DEL', AWAITED_GATEWAYS)
        local gateways = redis.call('ZRANGE', GATEWAYS, 0, -1)
        for i = 1, #gateways, 500 do
            redis.call('SADD', AWAITED_GATEWAYS, unpack(gateways, i, math.min(i + 499, #gateways)))
        end
        redis.call('SET', AWAITING_HEARTBEATS, 'waiting', 'PX', HEARTBEAT_WAIT)
    else
        redis.call('PEXPIRE', AWAITING_HEARTBEATS, HEARTBEAT_WAIT)
    end
    redis.call('PEXPIRE', AWAITED_GATEWAYS, HEARTBEAT_WAIT)
end

-- Nobody swept for half a session TTL: every instance (or Redis) was down, and no heartbeat was applied meanwhile.
-- Expiring now would take every user offline at once and bring them back as the consumers catch up on the
-- heartbeats they missed. Give the consumers time to catch up first; dead sessions expire after that.
local last = tonumber(redis.call('GET', LAST_SWEEP) or '0')
redis.call('SET', LAST_SWEEP, NOW)
if last > 0 and NOW - last > SESSION_TTL / 2 then
    await_heartbeats()
end
-- Every instance that reaches Kafka says so to the others, for as long as it goes on sweeping.
local reached_elsewhere = redis.call('EXISTS', KAFKA_REACHED) == 1
if not kafka_unreachable then
    redis.call('SET', KAFKA_REACHED, '1', 'PX', mark_ttl)
end
-- Kafka unreachable: the gateways' heartbeats cannot arrive, so silence says nothing about their users. An instance
-- that cannot reach Kafka holds expiry for every instance (re-armed by each of its sweeps) and until heartbeats flow
-- again, and says so to the others (KAFKA_UNREACHABLE): the opens on the partitions it consumes cannot be applied
-- meanwhile, so a user whose offline comes due may have come back there. That lasts as long as no instance reaches
-- Kafka (an outage: nobody hears the gateways). While another instance does, it lasts local-outage-hold: by then this
-- instance's consumers have dropped out of the group and their partitions have moved to instances that apply every
-- gateway's heartbeats and opens; holding on would keep dead gateways' users and closed last sessions online for as
-- long as this instance runs.
local holds = kafka_unreachable
    and not (reached_elsewhere and local_outage_hold and outvoted_for >= local_outage_hold)
if holds then
    await_heartbeats()
    redis.call('SET', KAFKA_UNREACHABLE, '1', 'PX', mark_ttl)
end
local somebody_unreachable = holds or redis.call('EXISTS', KAFKA_UNREACHABLE) == 1
local waiting = redis.call('GET', AWAITING_HEARTBEATS)
-- No heartbeat heard since they stopped getting through.
local unheard = holds or waiting == 'waiting'
-- Pending offlines are held while this is true (below).
local offlines_held = unheard or somebody_unreachable
if offlines_held then
    -- The seed's user:online keys are kept alive by heartbeats, which cannot come now, or do not list a user whose
    -- offline is held: walk the online users a page per sweep (ten batches' worth, so a whole pass takes far less
    -- than the keys' TTL) and renew them.
    local cursor = redis.call('GET', ONLINE_REFRESH_CURSOR) or '0'
    local page = redis.call('SSCAN', ONLINE, cursor, 'COUNT', limit * 10)
    for _, uid in ipairs(page[2]) do
        redis.call('SET', user_online_key(uid), '1', 'PX', ONLINE_KEY_TTL)
    end
    redis.call('SET', ONLINE_REFRESH_CURSOR, page[1], 'PX', ONLINE_KEY_TTL)
end

local held = unheard or redis.call('EXISTS', SWEEP_RESUME_AT) == 1
-- Heard again, but not from every gateway yet: the sessions of those not heard since wait for them.
local partly_heard = waiting == 'heard'
local expired = {}
local expired_count = 0
if not held then
    expired = redis.call('ZRANGEBYSCORE', SESSIONS, '-inf', NOW, 'LIMIT', 0, limit)
end
for _, member in ipairs(expired) do
    local sep = string.find(member, ':', 1, true)
    local uid, sid = string.sub(member, 1, sep - 1), string.sub(member, sep + 1)
    local key = user_sessions_key(uid)
    if partly_heard and redis.call('SISMEMBER', AWAITED_GATEWAYS, redis.call('HGET', key, sid) or '') == 1 then
        -- Its gateway was live when heartbeats stopped and has not been heard since (its partition may still have no
        -- leader): looked at again a TTL from now, until the gateway is heard or the wait is over.
        redis.call('ZADD', SESSIONS, NOW + SESSION_TTL, member)
        redis.call('SET', user_online_key(uid), '1', 'PX', ONLINE_KEY_TTL)
    else
        local expiry = tonumber(redis.call('ZSCORE', SESSIONS, member))
        redis.call('ZREM', SESSIONS, member)
        redis.call('HDEL', key, sid)
        expired_count = expired_count + 1
        if redis.call('HLEN', key) == 0 then
            -- The gateway stopped vouching for the session a TTL ago: no grace, the user was last seen then.
            go_offline(uid, expiry - SESSION_TTL)
            offline = offline + 1
        end
    end
end

local after_grace = 0
local due = {}
-- A session that reopened during the outage could not say so: pending offlines wait until heartbeats flow again, and
-- while any instance cannot reach Kafka and holds (the opens on its partitions wait with it).
if not offlines_held then
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

return {expired_count, offline, #typing, redis.call('ZCARD', SESSIONS), redis.call('SCARD', ONLINE),
        redis.call('ZCARD', GATEWAYS), after_grace, #due, redis.call('XLEN', OUTBOX), held and 1 or 0,
        reached_elsewhere and 1 or 0, holds and 1 or 0}
