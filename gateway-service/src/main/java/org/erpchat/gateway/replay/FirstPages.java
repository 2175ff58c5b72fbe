package org.erpchat.gateway.replay;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.erpchat.gateway.backend.BackendException;
import org.erpchat.gateway.backend.CoalescingQueue;
import org.erpchat.gateway.backend.MessageServiceClient.SyncPage;
import org.erpchat.gateway.backend.MessageServiceClient.UserSync;
import org.erpchat.gateway.backend.MessageServiceClient.UserSyncRequest;
import org.erpchat.gateway.session.Credentials;

/**
 * The first page of the resumes that start together, asked of message-service together ({@link CoalescingQueue}):
 * every client of a restarted gateway resuming at once costs a few {@code POST /api/sync/batch} calls, not one
 * {@code POST /api/sync} per client (docs/benchmarks.md §5). Each resume is named by its session's token, so
 * message-service answers each exactly what that user could ask for. The pages after the first, which only a long
 * absence has, are asked for one session at a time, at the client's pace. A batch call that fails as a whole fails
 * its resumes as {@link BackendException.Kind#UNAVAILABLE}, and {@link CatchUp} then asks for each first page alone.
 */
class FirstPages {

    /** message-service's batch query: one answer per request, in order; the call itself is made with {@code token}. */
    @FunctionalInterface
    interface Query {
        List<UserSync> sync(String token, List<UserSyncRequest> requests);
    }

    /** The most resumes in one call. */
    static final int CHUNK = 100;

    /**
     * The most positions one call carries, all its resumes together: message-service reads a request's JSON only up
     * to a number of tokens ({@code spring.jackson.factory.constraints.read.max-token-count}, 250,000 there), so that
     * no caller can fill its heap with one body, and a chunk of 100 sessions tracking 10,000 conversations each would
     * pass it (with sessions tracking the most conversations they may). Two tokens per position; this leaves room
     * for everything else in the body.
     */
    static final int CHUNK_POSITIONS = 50_000;

    private record Pending(
            long userId,
            Credentials credentials,
            Map<String, Long> positions,
            int limit,
            Instant asOf,
            CompletableFuture<SyncPage> result) {}

    private final Query query;
    private final CoalescingQueue<Pending> waiting;

    FirstPages(Query query, Executor executor) {
        this.query = query;
        this.waiting = new CoalescingQueue<>("Resume first pages", executor, this::answer, this::refuse);
    }

    /**
     * The first page of the user's sync from {@code positions} ({@code asOf} as in {@link MessageServiceClient#sync});
     * fails with a {@link BackendException}.
     */
    CompletableFuture<SyncPage> fetch(Credentials credentials, Map<String, Long> positions, int limit, Instant asOf) {
        CompletableFuture<SyncPage> result = new CompletableFuture<>();
        waiting.add(new Pending(credentials.user().id(), credentials, positions, limit, asOf, result));
        return result;
    }

    private void answer(List<Pending> batch) {
        for (int from = 0, to; from < batch.size(); from = to) {
            to = chunkEnd(batch, from);
            List<Pending> chunk = batch.subList(from, to);
            try {
                answerChunk(chunk);
            } catch (RuntimeException e) {
                // Whatever refused the whole call (a message-service from before the batch endpoint answers 404, the
                // one token that made the call may be refused) says nothing about each user: their catch-ups ask
                // for the page alone, and get their own answer.
                BackendException failure = new BackendException(
                        BackendException.Kind.UNAVAILABLE,
                        "sync batch failed: " + e.getMessage(),
                        e instanceof BackendException backend ? backend.code() : null,
                        e);
                chunk.forEach(pending -> pending.result().completeExceptionally(failure));
            }
        }
    }

    /**
     * Where the chunk that starts at {@code from} ends: after {@link #CHUNK} resumes, or before the resume whose
     * positions would take it past {@link #CHUNK_POSITIONS} (a resume is never split: one session tracks at most
     * 10,000).
     */
    private static int chunkEnd(List<Pending> batch, int from) {
        int positions = batch.get(from).positions().size();
        int end = from + 1;
        while (end < batch.size() && end - from < CHUNK) {
            positions += batch.get(end).positions().size();
            if (positions > CHUNK_POSITIONS) {
                break;
            }
            end++;
        }
        return end;
    }

    private void answerChunk(List<Pending> chunk) {
        String caller = Credentials.longestHeld(chunk.stream().map(Pending::credentials))
                .token();
        List<UserSync> answers = query.sync(
                caller,
                chunk.stream()
                        .map(pending -> new UserSyncRequest(
                                pending.credentials().token(), pending.positions(), pending.limit(), pending.asOf()))
                        .toList());
        for (int i = 0; i < chunk.size(); i++) {
            Pending pending = chunk.get(i);
            UserSync answer = answers.get(i);
            if ("token_rejected".equals(answer.error())) {
                pending.result()
                        .completeExceptionally(new BackendException(
                                BackendException.Kind.UNAUTHORIZED, "token rejected", answer.error(), null));
            } else if ("unavailable".equals(answer.error())) {
                // The token could not be checked (message-service's key server did not answer): worth a retry.
                pending.result()
                        .completeExceptionally(new BackendException(
                                BackendException.Kind.UNAVAILABLE, "token not checked", answer.error(), null));
            } else if (answer.error() != null) {
                pending.result()
                        .completeExceptionally(new BackendException(
                                BackendException.Kind.REJECTED, String.valueOf(answer.detail()), answer.error(), null));
            } else if (answer.userId() == null || answer.userId() != pending.userId()) {
                pending.result()
                        .completeExceptionally(new BackendException(
                                BackendException.Kind.UNAVAILABLE, "sync answered for another user", null, null));
            } else {
                pending.result()
                        .complete(new SyncPage(
                                answer.messages(), answer.positions(), Boolean.TRUE.equals(answer.hasMore())));
            }
        }
    }

    private void refuse(List<Pending> rejected) {
        BackendException shuttingDown =
                new BackendException(BackendException.Kind.UNAVAILABLE, "gateway shutting down", null, null);
        rejected.forEach(pending -> pending.result().completeExceptionally(shuttingDown));
    }
}
