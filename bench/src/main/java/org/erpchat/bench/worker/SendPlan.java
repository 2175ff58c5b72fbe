package org.erpchat.bench.worker;

import java.util.List;

/**
 * What a worker sends: {@code rate} messages per second for {@code seconds}, the k-th from {@code routes[k % size]},
 * over the WebSocket (the sender's session in this worker) or the REST API.
 *
 * @param tag a prefix for the client message ids, unique per run
 */
record SendPlan(boolean viaRest, double rate, double seconds, List<Route> routes, String tag) {

    /** A sender and where its message goes: a user (private) or a group. */
    record Route(long from, long to, boolean group) {}

    long messages() {
        return Math.round(rate * seconds);
    }
}
