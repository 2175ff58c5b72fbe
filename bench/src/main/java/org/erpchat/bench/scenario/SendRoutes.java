package org.erpchat.bench.scenario;

import java.util.ArrayList;
import java.util.List;
import org.erpchat.bench.worker.Workers;

/** Who sends to whom: each route is a sender and a receiver (private) or a group. */
final class SendRoutes {

    private final List<long[]> routes = new ArrayList<>();

    SendRoutes toUser(long from, long to) {
        routes.add(new long[] {from, to, 0});
        return this;
    }

    SendRoutes toGroup(long from, long groupId) {
        routes.add(new long[] {from, groupId, 1});
        return this;
    }

    int size() {
        return routes.size();
    }

    /** The routes by the process holding each sender's session. */
    List<List<long[]>> spread(Workers workers) {
        List<List<long[]>> shares = new ArrayList<>();
        for (int i = 0; i < workers.size(); i++) {
            shares.add(new ArrayList<>());
        }
        routes.forEach(route -> shares.get(workers.index(route[0])).add(route));
        return shares;
    }
}
