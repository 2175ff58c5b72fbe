package org.erpchat.gateway.presence;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.erpchat.gateway.backend.BackendException;
import org.erpchat.gateway.backend.CoalescingQueue;
import org.erpchat.gateway.session.Credentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Status look-ups for sessions that just opened or subscribed, asked of presence-service together: while one query is
 * out, the requests that arrive wait, then go out as one (the users all of them want, each once, in chunks). A lone
 * session is asked for at once; sessions that open together (a company in the morning, every client of a restarted
 * gateway) cost a few queries, not one each. Presence is visible to every signed-in user, so one session's token asks
 * for all of them, and each session is given only the users it asked for.
 */
class StatusLookups {

    /** presence-service's query, for one token and at most {@link #CHUNK} users. */
    @FunctionalInterface
    interface Query {
        List<PresenceStatus> statuses(String token, List<Long> users);
    }

    /**
     * @param answer takes the statuses found, one by one
     * @param onlineOnly only online users' statuses (a snapshot on connect), or every user's (a subscription)
     * @param wanted whether the answer is still wanted when the look-up runs: not for a closed session, nor for a
     *     subscription a newer one replaced, so a client that subscribes over and over costs one look-up, not a queue
     *     that grows
     */
    record Request(
            Credentials asker,
            List<Long> users,
            boolean onlineOnly,
            Consumer<PresenceStatus> answer,
            BooleanSupplier wanted) {}

    static final int CHUNK = 500;

    private static final Logger log = LoggerFactory.getLogger(StatusLookups.class);

    private final Query query;
    private final CoalescingQueue<Request> waiting;

    StatusLookups(Query query, Executor executor) {
        this.query = query;
        // Sessions of a gateway that is shutting down need no statuses.
        this.waiting = new CoalescingQueue<>("Status look-up", executor, this::answer, rejected -> {});
    }

    void request(Request request) {
        if (!request.users().isEmpty()) {
            waiting.add(request);
        }
    }

    private void answer(List<Request> waitingBatch) {
        List<Request> batch = waitingBatch.stream()
                .filter(request -> request.wanted().getAsBoolean())
                .toList();
        if (batch.isEmpty()) {
            return;
        }
        Set<Long> wanted = new LinkedHashSet<>();
        batch.forEach(request -> wanted.addAll(request.users()));
        String token =
                Credentials.longestHeld(batch.stream().map(Request::asker)).token();
        Map<Long, PresenceStatus> found = new HashMap<>(wanted.size() * 2);
        List<Long> users = List.copyOf(wanted);
        int failed = 0;
        for (int from = 0; from < users.size(); from += CHUNK) {
            List<Long> chunk = users.subList(from, Math.min(users.size(), from + CHUNK));
            try {
                query.statuses(token, chunk).forEach(status -> found.put(status.userId(), status));
            } catch (BackendException e) {
                failed += chunk.size();
                log.debug(
                        "No status for {} users ({} sessions waiting): {}", chunk.size(), batch.size(), e.getMessage());
            }
        }
        if (failed > 0) {
            log.debug(
                    "Status look-up for {} sessions left {} of {} users unanswered",
                    batch.size(),
                    failed,
                    users.size());
        }
        for (Request request : batch) {
            for (Long user : request.users()) {
                PresenceStatus status = found.get(user);
                if (status != null && (status.online() || !request.onlineOnly())) {
                    request.answer().accept(status);
                }
            }
        }
    }
}
