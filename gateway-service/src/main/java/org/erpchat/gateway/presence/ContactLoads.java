package org.erpchat.gateway.presence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.erpchat.gateway.backend.BackendException;
import org.erpchat.gateway.backend.CoalescingQueue;
import org.erpchat.gateway.backend.MessageServiceClient.UserContacts;
import org.erpchat.gateway.session.Credentials;
import org.erpchat.support.logging.FaultLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The contacts of users whose first session here opened, asked of message-service together ({@link CoalescingQueue}):
 * every client of a restarted gateway reconnecting costs a few {@code POST /api/contacts/batch} calls, not one call
 * per user. Each user is named by their own token, so message-service answers for each exactly what that user could ask
 * for; a user with several sessions waiting is asked for once, with the token that holds longest. A failure is logged
 * once with a count ({@link FaultLog}), not once per user; the sessions it leaves without contacts are retried by
 * {@link ContactRetries}.
 */
class ContactLoads {

    private static final Logger log = LoggerFactory.getLogger(ContactLoads.class);

    /** message-service's batch query: one answer per token, in order; the call itself is made with {@code token}. */
    @FunctionalInterface
    interface Query {
        List<UserContacts> contacts(String token, List<String> tokens);
    }

    static final int CHUNK = 500;

    private record Pending(long userId, Credentials credentials, CompletableFuture<List<Long>> result) {}

    private final Query query;
    private final CoalescingQueue<Pending> waiting;
    private final FaultLog faults = new FaultLog(log, "loading contacts from message-service", Duration.ofMinutes(1));

    ContactLoads(Query query, Executor executor) {
        this.query = query;
        this.waiting = new CoalescingQueue<>("Contacts look-up", executor, this::answer, this::refuse);
    }

    /** The user's contacts, once message-service answered; fails with a {@link BackendException}. */
    CompletableFuture<List<Long>> load(long userId, Credentials credentials) {
        CompletableFuture<List<Long>> result = new CompletableFuture<>();
        waiting.add(new Pending(userId, credentials, result));
        return result;
    }

    private void answer(List<Pending> batch) {
        Map<Long, List<Pending>> byUser = new LinkedHashMap<>();
        batch.forEach(pending -> byUser.computeIfAbsent(pending.userId(), user -> new ArrayList<>())
                .add(pending));
        List<List<Pending>> users = List.copyOf(byUser.values());
        for (int from = 0; from < users.size(); from += CHUNK) {
            List<List<Pending>> chunk = users.subList(from, Math.min(users.size(), from + CHUNK));
            try {
                answerChunk(chunk);
            } catch (RuntimeException e) {
                BackendException failure = e instanceof BackendException backend
                        ? backend
                        : new BackendException(BackendException.Kind.UNAVAILABLE, "contacts look-up failed", null, e);
                faults.failed(failure);
                chunk.forEach(waitingForUser -> fail(waitingForUser, failure));
            }
        }
    }

    private void answerChunk(List<List<Pending>> chunk) {
        List<Credentials> askers = chunk.stream().map(ContactLoads::longestHeld).toList();
        String caller = Credentials.longestHeld(askers.stream()).token();
        List<UserContacts> answers =
                query.contacts(caller, askers.stream().map(Credentials::token).toList());
        boolean tokensUnchecked = false;
        for (int i = 0; i < chunk.size(); i++) {
            List<Pending> waitingForUser = chunk.get(i);
            UserContacts answer = answers.get(i);
            long user = waitingForUser.get(0).userId();
            if ("unavailable".equals(answer.error())) {
                // The token could not be checked (message-service's key server did not answer): a fault, not a refusal.
                tokensUnchecked = true;
                fail(
                        waitingForUser,
                        new BackendException(
                                BackendException.Kind.UNAVAILABLE, "token not checked", answer.error(), null));
            } else if (answer.error() != null || answer.userIds() == null) {
                fail(
                        waitingForUser,
                        new BackendException(
                                BackendException.Kind.UNAUTHORIZED, "token rejected", answer.error(), null));
            } else if (answer.userId() == null || answer.userId() != user) {
                fail(
                        waitingForUser,
                        new BackendException(
                                BackendException.Kind.UNAVAILABLE, "contacts answered for another user", null, null));
            } else {
                List<Long> contacts = List.copyOf(answer.userIds());
                waitingForUser.forEach(pending -> pending.result().complete(contacts));
            }
        }
        if (tokensUnchecked) {
            faults.failed(new BackendException(
                    BackendException.Kind.UNAVAILABLE, "message-service could not check tokens", "unavailable", null));
        } else {
            faults.succeeded();
        }
    }

    private void refuse(List<Pending> rejected) {
        BackendException shuttingDown =
                new BackendException(BackendException.Kind.UNAVAILABLE, "gateway shutting down", null, null);
        rejected.forEach(pending -> pending.result().completeExceptionally(shuttingDown));
    }

    private static Credentials longestHeld(List<Pending> waitingForUser) {
        return Credentials.longestHeld(waitingForUser.stream().map(Pending::credentials));
    }

    private static void fail(List<Pending> waitingForUser, BackendException failure) {
        waitingForUser.forEach(pending -> pending.result().completeExceptionally(failure));
    }
}
