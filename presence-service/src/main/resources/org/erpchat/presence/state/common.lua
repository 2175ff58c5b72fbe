-- Prepended to every presence script (see PresenceScripts). Redis runs a script atomically, so everything a script
-- reads and writes here is one step as far as other scripts, other service instances and the sweeper can tell. That
-- is what makes "did this change the user's presence?" a question with exactly one answer.
--
-- Key names are mirrored in RedisKeys.java (reads, tests, docs/presence-service.md); keep both in step.
-- Per-user keys are computed here rather than passed in KEYS: the model needs a single Redis (or one hash slot).

local SESSIONS = 'presence:sessions'              -- zset  "<userId>:<sessionId>" -> expiry (epoch ms)
local CLOSED = 'presence:closed'                  -- zset  "<userId>:<sessionId>" -> forget-after (epoch ms)
local ONLINE = 'presence:online'                  -- set   user ids announced online
local SILENT = 'presence:silent-online'           -- set   user ids put back online by a rebuild, never announced
local OFFLINE_PENDING = 'presence:offline-pending' -- zset user id -> when to announce offline (epoch ms)
local LAST_SEEN = 'presence:last-seen'            -- hash  user id -> epoch ms
local GATEWAYS = 'presence:gateways'              -- zset  gateway id -> last heartbeat (epoch ms)
local TYPING = 'presence:typing'                  -- zset  "<conversationId>:<userId>" -> expiry (epoch ms)
local TYPING_META = 'presence:typing-meta'        -- hash  "<conversationId>:<userId>" -> "<kind>|<id>,<id>,..."
local OUTBOX = 'presence:outbox'                  -- stream of events to publish, in transition order
local OUTBOX_TRIMMED = 'presence:outbox:trimmed'  -- string events dropped unpublished beyond OUTBOX_MAX (lease.lua)
local DATASET_SINCE = 'presence:dataset-since'    -- string epoch ms when this Redis dataset was started
local LAST_SWEEP = 'presence:last-sweep'          -- string epoch ms of the last sweep by any instance
local SWEEP_RESUME_AT = 'presence:sweep-resume-at' -- string epoch ms before which sessions are not expired
local AWAITING_HEARTBEATS = 'presence:awaiting-heartbeats' -- string 'waiting'/'heard' since heartbeats stopped coming
local AWAITED_GATEWAYS = 'presence:awaited-gateways' -- set  gateways live then and not heard since
local ONLINE_REFRESH_CURSOR = 'presence:online-refresh-cursor' -- string SSCAN cursor over ONLINE while Kafka is away
local KAFKA_UNREACHABLE = 'presence:kafka-unreachable' -- string set by the sweeps of an instance that cannot reach Kafka
                                                       -- and holds for every instance (sweep.lua)
local KAFKA_REACHED = 'presence:kafka-reached'         -- string set by the sweeps of every instance that reaches Kafka

local SESSION_TTL = tonumber(ARGV[1])
local ONLINE_KEY_TTL = tonumber(ARGV[2])
local CLOSED_RETENTION = tonumber(ARGV[3])
local REBUILD_WINDOW = tonumber(ARGV[4])
local TYPING_TTL = tonumber(ARGV[5])
local OFFLINE_GRACE = tonumber(ARGV[6])
local OUTBOX_MAX = tonumber(ARGV[7])
local A = 8 -- index of the first argument of the script itself
-- How long, at most, expiry waits for gateways to be heard again after heartbeats stopped getting through (sweep.lua).
local HEARTBEAT_WAIT = SESSION_TTL * 3

-- One clock for every instance: Redis's. Scripts are replicated by effects, so reading TIME before writing is fine.
local time = redis.call('TIME')
local NOW = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local function user_sessions_key(uid) return 'presence:user-sessions:' .. uid end -- hash session id -> gateway id
local function user_typing_key(uid) return 'presence:user-typing:' .. uid end     -- set conversation ids
local function user_online_key(uid) return 'user:online:' .. uid end               -- the seed's key, derived
local function typing_key(conv, uid) return 'typing:' .. conv .. ':' .. uid end      -- the seed's key, derived

-- A Redis that lost its data (restarted empty, flushed) has no marker. The first script to notice starts a new
-- dataset, and for REBUILD_WINDOW afterwards the state is known to be incomplete: gateways are still re-listing their
-- sessions in heartbeats. Users seen for the first time in that window are treated as "were probably online".
local since = redis.call('GET', DATASET_SINCE)
if not since then
    redis.call('SET', DATASET_SINCE, NOW)
    since = NOW
end
local REBUILDING = NOW < tonumber(since) + REBUILD_WINDOW

-- Appends an event (its field/value pairs) to the outbox. Beyond OUTBOX_MAX entries (Kafka away for long) the oldest go,
-- approximately (whole stream nodes). Those were never published: the relay deletes what Kafka acknowledged. So the
-- entries a trim removes are counted, for the relay that holds the lease to report (lease.lua). Below the cap, which is
-- all the time but during a long outage, the O(1) XLEN is all this adds to the XADD.
local function outbox_add(...)
    local length = redis.call('XLEN', OUTBOX)
    if length < OUTBOX_MAX then
        redis.call('XADD', OUTBOX, '*', ...)
        return
    end
    redis.call('XADD', OUTBOX, 'MAXLEN', '~', OUTBOX_MAX, '*', ...)
    local dropped = length + 1 - redis.call('XLEN', OUTBOX)
    if dropped > 0 then
        redis.call('INCRBY', OUTBOX_TRIMMED, dropped)
    end
end

local function emit_presence(uid, online, last_seen)
    outbox_add('type', 'presence', 'user', uid, 'online', online and '1' or '0', 'last_seen', last_seen, 'at', NOW)
end

local function emit_typing(conv, uid, meta, typing)
    outbox_add('type', 'typing', 'conversation', conv, 'user', uid, 'meta', meta, 'typing', typing and '1' or '0',
        'at', NOW)
end

-- Ends a typing state if there is one; announces the stop with the given meta, or the stored one when nil.
local function end_typing(conv, uid, meta)
    local member = conv .. ':' .. uid
    local stored = redis.call('HGET', TYPING_META, member)
    if redis.call('ZREM', TYPING, member) == 0 then
        return false
    end
    redis.call('HDEL', TYPING_META, member)
    redis.call('DEL', typing_key(conv, uid))
    redis.call('SREM', user_typing_key(uid), conv)
    emit_typing(conv, uid, meta or stored or 'private|', false)
    return true
end

local function mark_online(uid)
    redis.call('SADD', ONLINE, uid)
    redis.call('SET', user_online_key(uid), '1', 'PX', ONLINE_KEY_TTL)
    redis.call('HSET', LAST_SEEN, uid, NOW)
end

-- The user's last session is gone for good: announce offline, and stop every typing indicator they left behind.
local function go_offline(uid, last_seen)
    for _, conv in ipairs(redis.call('SMEMBERS', user_typing_key(uid))) do
        end_typing(conv, uid, nil)
    end
    redis.call('DEL', user_typing_key(uid))
    redis.call('SREM', ONLINE, uid)
    redis.call('SREM', SILENT, uid)
    redis.call('ZREM', OFFLINE_PENDING, uid)
    redis.call('DEL', user_online_key(uid))
    local previous = tonumber(redis.call('HGET', LAST_SEEN, uid) or '0')
    if previous > last_seen then
        last_seen = previous
    end
    redis.call('HSET', LAST_SEEN, uid, last_seen)
    emit_presence(uid, false, last_seen)
end

-- The user's last session was closed. With a grace period the offline announcement waits, so that a user who closes
-- one tab and opens another (in either order) never flaps; the sweeper announces it if no session came back.
-- Returns 1 when offline was announced now, 2 when it is pending.
local function begin_offline(uid)
    redis.call('HSET', LAST_SEEN, uid, NOW)
    if OFFLINE_GRACE <= 0 then
        go_offline(uid, NOW)
        return 1
    end
    redis.call('SADD', ONLINE, uid)
    redis.call('SET', user_online_key(uid), '1', 'PX', ONLINE_KEY_TTL)
    redis.call('ZADD', OFFLINE_PENDING, NOW + OFFLINE_GRACE, uid)
    return 2
end

-- Adds a session the user did not have. Returns 1 when this made the user online (announced), 0 when they already
-- were (another session, or an offline still within its grace period), 3 when they became online silently because
-- this is a rebuild from a heartbeat after data loss and the user was most likely online before it.
local function add_session(uid, sid, gateway, expiry, from_heartbeat)
    local key = user_sessions_key(uid)
    local had = redis.call('HLEN', key)
    redis.call('ZADD', SESSIONS, expiry, uid .. ':' .. sid)
    redis.call('HSET', key, sid, gateway)
    if had > 0 or redis.call('SISMEMBER', ONLINE, uid) == 1 then
        redis.call('ZREM', OFFLINE_PENDING, uid)
        mark_online(uid)
        return 0
    end
    local known = redis.call('HEXISTS', LAST_SEEN, uid) == 1
    mark_online(uid)
    if from_heartbeat and REBUILDING and not known then
        redis.call('SADD', SILENT, uid)
        return 3
    end
    emit_presence(uid, true, NOW)
    return 1
end
