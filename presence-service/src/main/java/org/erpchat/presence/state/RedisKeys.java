package org.erpchat.presence.state;

/**
 * Every Redis key presence-service uses (the scripts in {@code common.lua} spell the same names). The
 * {@code user:online:<id>} and {@code typing:<conversationId>:<userId>} keys are the seed's, kept as views derived
 * from the real state so that its debugging commands still work. docs/presence-service.md describes each one.
 */
public final class RedisKeys {

    /** Zset: {@code <userId>:<sessionId>} scored by the session's expiry (epoch ms). */
    public static final String SESSIONS = "presence:sessions";
    /** Zset: closed {@code <userId>:<sessionId>} scored by when to forget the close (epoch ms). */
    public static final String CLOSED = "presence:closed";
    /** Set: the ids of the users announced online. */
    public static final String ONLINE = "presence:online";
    /** Set: users a rebuild put back online without announcing it; an open of their session announces them. */
    public static final String SILENT_ONLINE = "presence:silent-online";
    /** Zset: users whose last session closed, scored by when their offline is announced unless a session returns. */
    public static final String OFFLINE_PENDING = "presence:offline-pending";
    /** Hash: user id to the last time (epoch ms) the user was seen with a live session. */
    public static final String LAST_SEEN = "presence:last-seen";
    /** Zset: gateway ids scored by their last heartbeat (epoch ms). Informational. */
    public static final String GATEWAYS = "presence:gateways";
    /** Zset: {@code <conversationId>:<userId>} typing indicators scored by expiry (epoch ms). */
    public static final String TYPING = "presence:typing";
    /** Hash: {@code <conversationId>:<userId>} to {@code <kind>|<recipient ids>}, for announcing an expiry. */
    public static final String TYPING_META = "presence:typing-meta";
    /** Stream: events recorded by the scripts, waiting to be published to Kafka in order. */
    public static final String OUTBOX = "presence:outbox";
    /** String: the owner token of the instance currently publishing the outbox. */
    public static final String OUTBOX_LEASE = "presence:outbox:lease";
    /**
     * String: how many events the outbox dropped unpublished beyond {@code outbox.max-length} and nobody reported yet;
     * the instance holding the lease takes it.
     */
    public static final String OUTBOX_TRIMMED = "presence:outbox:trimmed";
    /** String: when (epoch ms) this Redis dataset was started; missing means Redis lost its data. */
    public static final String DATASET_SINCE = "presence:dataset-since";

    /** String: when (epoch ms) any instance last swept. */
    public static final String LAST_SWEEP = "presence:last-sweep";
    /** String: while it exists (TTL one session TTL), sweeps expire no session: consumers catch up after a pause. */
    public static final String SWEEP_RESUME_AT = "presence:sweep-resume-at";
    /**
     * String, after heartbeats stopped getting through (Kafka unreachable, every sweeper paused): {@code waiting}
     * until the first fresh heartbeat is applied (no session expires, no pending offline is announced), then
     * {@code heard} until every gateway of {@link #AWAITED_GATEWAYS} has been heard (their sessions do not expire);
     * back to {@code waiting}, every live gateway awaited again, if heartbeats stop getting through meanwhile. Lapses
     * three session TTLs after the last sweep that armed it.
     */
    public static final String AWAITING_HEARTBEATS = "presence:awaiting-heartbeats";
    /** Set: the gateways live when heartbeats stopped getting through and not heard since; lapses with the above. */
    public static final String AWAITED_GATEWAYS = "presence:awaited-gateways";

    public static final String ONLINE_REFRESH_CURSOR = "presence:online-refresh-cursor";

    /**
     * String: an instance that cannot reach Kafka and holds for every instance renews it with every sweep (TTL three
     * sweep intervals); while it exists, no instance announces a pending offline, since opens on that instance's
     * partitions wait with it. Not renewed by an instance that has been unable to reach Kafka for longer than
     * {@code kafka-probe.local-outage-hold} while another one reaches it ({@link #KAFKA_REACHED}).
     */
    public static final String KAFKA_UNREACHABLE = "presence:kafka-unreachable";

    /**
     * String: every instance that reaches Kafka renews it with every sweep (TTL three sweep intervals). While it
     * exists, an instance that cannot reach Kafka knows that its partitions can move to instances that hear the
     * gateways, and holds for every instance only for {@code kafka-probe.local-outage-hold}.
     */
    public static final String KAFKA_REACHED = "presence:kafka-reached";

    private RedisKeys() {}

    /** Hash: session id to gateway id, the user's live sessions. */
    public static String userSessions(long userId) {
        return "presence:user-sessions:" + userId;
    }

    /** Set: conversation ids the user is typing in. */
    public static String userTyping(long userId) {
        return "presence:user-typing:" + userId;
    }

    /** The seed's key: exists exactly while the user is online. */
    public static String userOnline(long userId) {
        return "user:online:" + userId;
    }

    public static final String USER_ONLINE_PATTERN = "user:online:*";

    /** The seed's key: exists while the user is typing in the conversation, with the typing TTL. */
    public static String typing(long conversationId, long userId) {
        return "typing:" + conversationId + ":" + userId;
    }
}
