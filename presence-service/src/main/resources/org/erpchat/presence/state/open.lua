-- ConnectionOpened. ARGV[A..]: user id, session id, gateway id, the event's time (epoch ms).
-- Returns 1 = user became online (announced), 0 = no presence change, -1 = ignored: the session was already closed
-- (its close arrived first, or this open is a late duplicate), so it must not come back to life; -2 = an open older
-- than a session TTL (stale).
local uid, sid, gateway, at = ARGV[A], ARGV[A + 1], ARGV[A + 2], tonumber(ARGV[A + 3])
if at + SESSION_TTL < NOW and not REBUILDING then
    -- Read late (a backlog after a Redis outage, a consumer far behind): a session that still lives is listed by its
    -- gateway's heartbeats, which re-add it (announcing the user if nobody was told); one that has closed since would
    -- only blink online until its close, read next. Older than a session TTL, as for a stale heartbeat: the gateway's
    -- clock stamped it and Redis's judges it, so the tolerance must cover their skew. Not while rebuilding after data
    -- loss: a heartbeat then restores a user it finds no trace of silently, and only this open can say that the
    -- session is new and nobody was told.
    return -2
end
local member = uid .. ':' .. sid
if redis.call('ZSCORE', CLOSED, member) then
    return -1
end
if redis.call('ZSCORE', SESSIONS, member) then
    -- A duplicate open (at-least-once delivery), or a heartbeat listed the session before its open was consumed:
    -- refresh the session. If that heartbeat put the user back online silently (a rebuild after data loss), this open
    -- says the session is new, so nobody may have been told: announce it now. At worst a redundant online.
    redis.call('ZADD', SESSIONS, NOW + SESSION_TTL, member)
    if redis.call('SREM', SILENT, uid) == 1 then
        emit_presence(uid, true, NOW)
        return 1
    end
    return 0
end
local result = add_session(uid, sid, gateway, NOW + SESSION_TTL, false)
if result == 1 then
    return 1
end
return 0
