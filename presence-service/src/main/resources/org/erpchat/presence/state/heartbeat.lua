-- GatewayHeartbeat (one part). ARGV[A..]: gateway id, sentAt (epoch ms), then user id and session id pairs.
-- Refreshes every listed session and re-adds the ones Redis does not hold (how state is rebuilt after Redis lost it,
-- and how a session whose open has not been consumed yet shows up). Sessions not listed are left to expire.
-- Returns {refreshed, re-added, announced online, silently restored online}, or {-1, 0, 0, 0} for a stale heartbeat.
local gateway, sent_at = ARGV[A], tonumber(ARGV[A + 1])
if sent_at + SESSION_TTL < NOW then
    -- Older than a session TTL (consumer far behind): its news is outdated, and the sessions it lists may have closed
    -- long ago with their tombstones already forgotten.
    return {-1, 0, 0, 0}
end
-- After heartbeats stopped getting through (see sweep.lua): the first fresh one says they flow again, and expiry
-- resumes one session TTL from now, the time every other gateway's next heartbeat needs; this gateway's sessions may
-- expire again from then on. The wait is over once every gateway live when it began has been heard.
local waiting = redis.call('GET', AWAITING_HEARTBEATS)
if waiting then
    if waiting == 'waiting' then
        local left = redis.call('PTTL', AWAITING_HEARTBEATS)
        redis.call('SET', AWAITING_HEARTBEATS, 'heard', 'PX', left > 0 and left or HEARTBEAT_WAIT)
        redis.call('SET', SWEEP_RESUME_AT, NOW + SESSION_TTL, 'PX', SESSION_TTL)
    end
    redis.call('SREM', AWAITED_GATEWAYS, gateway)
    if redis.call('SCARD', AWAITED_GATEWAYS) == 0 then
        redis.call('DEL', AWAITING_HEARTBEATS)
    end
end
redis.call('ZADD', GATEWAYS, NOW, gateway)
local expiry = NOW + SESSION_TTL
local refreshed, readded, announced, restored = 0, 0, 0, 0
for i = A + 2, #ARGV, 2 do
    local uid, sid = ARGV[i], ARGV[i + 1]
    local member = uid .. ':' .. sid
    if not redis.call('ZSCORE', CLOSED, member) then
        if redis.call('ZSCORE', SESSIONS, member) then
            redis.call('ZADD', SESSIONS, expiry, member)
            redis.call('SET', user_online_key(uid), '1', 'PX', ONLINE_KEY_TTL)
            redis.call('HSET', LAST_SEEN, uid, NOW)
            refreshed = refreshed + 1
        else
            local result = add_session(uid, sid, gateway, expiry, true)
            readded = readded + 1
            if result == 1 then
                announced = announced + 1
            elseif result == 3 then
                restored = restored + 1
            end
        end
    end
end
return {refreshed, readded, announced, restored}
