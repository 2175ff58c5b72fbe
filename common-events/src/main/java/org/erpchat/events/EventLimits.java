package org.erpchat.events;

/** Bounds every event keeps, so that any valid event fits in one Kafka record (1 MB by default). */
public final class EventLimits {

    /**
     * The most user ids one list of an event may hold: the largest group's members. An event lists at most two such
     * lists of ids of at most 19 digits each, under 800 KB. A record that lists more is refused when it is read (and
     * dead-lettered by its consumer) instead of being passed on in an event too large to publish, which would stop
     * the outbox that holds it.
     */
    public static final int MAX_USER_IDS = 20_000;

    /**
     * The longest gateway or session id in a send's origin: far above a host name with a suffix or a UUID, and small
     * enough that an origin copied into every answer and {@code MessageCreated} never makes one too large to publish.
     */
    public static final int MAX_ORIGIN_ID_LENGTH = 1_000;

    private EventLimits() {}
}
