package org.erpchat.gateway.session;

/**
 * What a client declared when it connected, in the handshake's query string or in its first {@code auth} frame
 * (docs/protocol.md §1).
 *
 * @param resume it will send {@code resume}: hold live messages until it does
 * @param presenceBatch it understands {@code presence_batch}: give it many status changes in one frame
 */
public record ConnectOptions(boolean resume, boolean presenceBatch) {

    public static final ConnectOptions NONE = new ConnectOptions(false, false);

    /** What either declaration says. */
    public ConnectOptions and(ConnectOptions other) {
        return new ConnectOptions(resume || other.resume, presenceBatch || other.presenceBatch);
    }

    /** {@code resume=true} and {@code presence_batch=true} ({@code 1} works too) in a raw query string. */
    public static ConnectOptions fromQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return NONE;
        }
        boolean resume = false;
        boolean presenceBatch = false;
        for (String pair : rawQuery.split("&")) {
            resume |= pair.equals("resume=true") || pair.equals("resume=1");
            presenceBatch |= pair.equals("presence_batch=true") || pair.equals("presence_batch=1");
        }
        return new ConnectOptions(resume, presenceBatch);
    }
}
