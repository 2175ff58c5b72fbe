-- The outbox relay's lease: at most one instance publishes the outbox at a time, so events leave in transition order.
-- KEYS[1]: lease key. ARGV[1]: owner token, ARGV[2]: lease time (ms). Returns 1 when the caller holds the lease.
local owner = redis.call('GET', KEYS[1])
if owner == ARGV[1] then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    return 1
end
if not owner then
    redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
    return 1
end
return 0
