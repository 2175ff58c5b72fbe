-- The outbox relay's lease: at most one instance publishes the outbox at a time, so events leave in transition order.
-- KEYS[1]: lease key, KEYS[2]: count of events dropped unpublished from the outbox (common.lua's outbox_add).
-- ARGV[1]: owner token, ARGV[2]: lease time (ms). Returns {1, dropped} when the caller holds the lease, dropped being
-- the count, which it takes (to report it) in the same step; {0, 0} otherwise.
local function held()
    local dropped = redis.call('GET', KEYS[2])
    if dropped then
        redis.call('DEL', KEYS[2])
    end
    return {1, tonumber(dropped or '0')}
end

local owner = redis.call('GET', KEYS[1])
if owner == ARGV[1] then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    return held()
end
if not owner then
    redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
    return held()
end
return {0, 0}
