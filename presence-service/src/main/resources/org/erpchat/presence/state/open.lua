-- ConnectionOpened. ARGV[A..]: user id, session id, gateway id.
-- Returns 1 = user became online (announced), 0 = no presence change, -1 = ignored: the session was already closed
-- (its close arrived first, or this open is a late duplicate), so it must not come back to life.
local uid, sid, gateway = ARGV[A], ARGV[A + 1], ARGV[A + 2]
local member = uid .. ':' .. sid
if redis.call('ZSCORE', CLOSED, member) then
    return -1
end
if redis.call('ZSCORE', SESSIONS, member) then
    -- A duplicate open (at-least-once delivery): only refresh the session.
    redis.call('ZADD', SESSIONS, NOW + SESSION_TTL, member)
    return 0
end
local result = add_session(uid, sid, gateway, NOW + SESSION_TTL, false)
if result == 1 then
    return 1
end
return 0
