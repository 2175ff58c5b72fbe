package org.erpchat.gateway.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.erpchat.gateway.support.BatchCalls.credentials;
import static org.erpchat.gateway.support.BatchCalls.waitFor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.erpchat.gateway.backend.BackendException;
import org.erpchat.gateway.backend.MessageServiceClient.SyncPage;
import org.erpchat.gateway.backend.MessageServiceClient.UserSync;
import org.erpchat.gateway.backend.MessageServiceClient.UserSyncRequest;
import org.erpchat.gateway.protocol.StoredMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Resumes that start together have their first pages asked for together, each with its own token and positions. */
class FirstPagesTest {

    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    private record Call(String token, List<UserSyncRequest> requests) {}

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    /**
     * message-service's answer for tokens "token-<user>-...": the user's position in conversation 1 moved on by one
     * message; "revoked" tokens are rejected, "bad" ones refused as invalid, "unchecked" ones could not be checked.
     */
    private List<UserSync> answer(String token, List<UserSyncRequest> requests) {
        calls.add(new Call(token, List.copyOf(requests)));
        return requests.stream()
                .map(request -> {
                    long user = Long.parseLong(request.token().split("-")[1]);
                    if (request.token().endsWith("-revoked")) {
                        return new UserSync(null, null, null, null, "token_rejected", null);
                    }
                    if (request.token().endsWith("-unchecked")) {
                        return new UserSync(null, null, null, null, "unavailable", "retry later");
                    }
                    if (request.token().endsWith("-bad")) {
                        return new UserSync(null, null, null, null, "invalid_request", "limit must be at least 1");
                    }
                    long next = request.positions().getOrDefault("1", 0L) + 1;
                    return new UserSync(user, List.of(message(next)), Map.of("1", next), false, null, null);
                })
                .toList();
    }

    @Test
    void resumesThatStartWhileACallIsOutAreAskedForTogetherWithTheirOwnPositions() throws InterruptedException {
        CountDownLatch firstCallStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstCall = new CountDownLatch(1);
        FirstPages pages = new FirstPages(
                (token, requests) -> {
                    if (calls.isEmpty()) {
                        firstCallStarted.countDown();
                        waitFor(releaseFirstCall);
                    }
                    return answer(token, requests);
                },
                executor);

        CompletableFuture<SyncPage> first = pages.fetch(credentials(1, "a", 60), Map.of("1", 4L), 50, null);
        assertThat(firstCallStarted.await(10, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<SyncPage>> later = new ArrayList<>();
        for (long user = 100; user < 150; user++) {
            later.add(pages.fetch(credentials(user, "a", 60), Map.of("1", user), 50, null));
        }
        // A second session of user 100, from another position and with a token that holds longer.
        CompletableFuture<SyncPage> secondSession =
                pages.fetch(credentials(100, "b", 3_600), Map.of("1", 7L), 50, null);
        releaseFirstCall.countDown();

        await().untilAsserted(() -> assertThat(secondSession).isCompleted());
        assertThat(first.join().positions()).containsEntry("1", 5L);
        assertThat(later).allSatisfy(page -> assertThat(page).isCompleted());
        assertThat(later.get(0).join().positions()).containsEntry("1", 101L);
        assertThat(later.get(0).join().messages())
                .extracting(StoredMessage::seq)
                .containsExactly(101L);
        assertThat(secondSession.join().positions()).containsEntry("1", 8L);
        assertThat(calls).hasSize(2);
        assertThat(calls.get(1).requests())
                .hasSize(51)
                .allSatisfy(request -> assertThat(request.limit()).isEqualTo(50));
        assertThat(calls.get(1).token()).isEqualTo("token-100-b");
    }

    @Test
    void aRefusedRequestFailsOnlyItsResumeAndManyResumesGoOutInChunks() {
        FirstPages pages = new FirstPages(this::answer, executor);
        CountDownLatch blocker = new CountDownLatch(1);
        executor.execute(() -> waitFor(blocker));
        List<CompletableFuture<SyncPage>> many = new ArrayList<>();
        for (long user = 1; user <= 250; user++) {
            String which = user == 7 ? "revoked" : user == 8 ? "bad" : user == 10 ? "unchecked" : "ok";
            many.add(pages.fetch(credentials(user, which, 60), Map.of(), 20, null));
        }
        blocker.countDown();

        await().untilAsserted(() ->
                assertThat(many).allSatisfy(page -> assertThat(page).isDone()));
        assertThat(calls)
                .extracting(call -> call.requests().size())
                .containsExactly(FirstPages.CHUNK, FirstPages.CHUNK, 250 - 2 * FirstPages.CHUNK);
        assertThat(kindOf(many.get(6))).isEqualTo(BackendException.Kind.UNAUTHORIZED);
        assertThat(kindOf(many.get(7))).isEqualTo(BackendException.Kind.REJECTED);
        // A token message-service could not check (its key server did not answer) is worth a retry, not a close.
        assertThat(kindOf(many.get(9))).isEqualTo(BackendException.Kind.UNAVAILABLE);
        assertThat(many.get(8).join().positions()).containsEntry("1", 1L);
    }

    @Test
    void aCallCarriesAtMostChunkPositionsWithoutSplittingAResume() {
        FirstPages pages = new FirstPages(this::answer, executor);
        CountDownLatch blocker = new CountDownLatch(1);
        executor.execute(() -> waitFor(blocker));
        // Sessions that track 10,000 conversations each (the most a session tracks), then three that track few.
        List<CompletableFuture<SyncPage>> resumes = new ArrayList<>();
        for (long user = 1; user <= 12; user++) {
            resumes.add(pages.fetch(credentials(user, "ok", 60), positions(user <= 9 ? 10_000 : 2), 20, null));
        }
        blocker.countDown();

        await().untilAsserted(() ->
                assertThat(resumes).allSatisfy(page -> assertThat(page).isCompleted()));
        assertThat(calls)
                .extracting(call -> call.requests().stream()
                        .mapToInt(request -> request.positions().size())
                        .sum())
                .containsExactly(50_000, 40_006)
                .allSatisfy(sum -> assertThat(sum).isLessThanOrEqualTo(FirstPages.CHUNK_POSITIONS));
        assertThat(calls.get(1).requests()).hasSize(7);
    }

    private static Map<String, Long> positions(int conversations) {
        Map<String, Long> positions = new HashMap<>();
        for (int conversation = 1; conversation <= conversations; conversation++) {
            positions.put(Integer.toString(conversation), 0L);
        }
        return positions;
    }

    @Test
    void aFailedCallFailsItsChunkAsUnavailableAndTheResumesThatFollowStillRun() {
        FirstPages pages = new FirstPages(
                (token, requests) -> {
                    if (calls.isEmpty()) {
                        calls.add(new Call(token, requests));
                        throw new IllegalStateException("connection reset");
                    }
                    if (requests.get(0).token().equals("token-5-ok")) {
                        return List.of(new UserSync(6L, List.of(), Map.of(), false, null, null));
                    }
                    return answer(token, requests);
                },
                executor);

        CompletableFuture<SyncPage> unlucky = pages.fetch(credentials(1, "ok", 60), Map.of(), 20, null);
        await().untilAsserted(() -> assertThat(unlucky).isCompletedExceptionally());
        CompletableFuture<SyncPage> mixedUp = pages.fetch(credentials(5, "ok", 60), Map.of(), 20, null);
        await().untilAsserted(() -> assertThat(mixedUp).isCompletedExceptionally());
        CompletableFuture<SyncPage> next = pages.fetch(credentials(2, "ok", 60), Map.of("1", 3L), 20, null);

        assertThat(next.join().positions()).containsEntry("1", 4L);
        assertThat(kindOf(unlucky)).isEqualTo(BackendException.Kind.UNAVAILABLE);
        assertThat(kindOf(mixedUp)).isEqualTo(BackendException.Kind.UNAVAILABLE);
        assertThatThrownBy(mixedUp::join).hasMessageContaining("another user");
    }

    @Test
    void aCallRefusedAsAWholeFailsItsResumesAsUnavailableWhateverTheRefusal() {
        // A message-service from before the batch endpoint, or one that refuses the token the call was made with.
        FirstPages pages = new FirstPages(
                (token, requests) -> {
                    throw new BackendException(
                            token.contains("-old")
                                    ? BackendException.Kind.NOT_FOUND
                                    : BackendException.Kind.UNAUTHORIZED,
                            "refused",
                            "not_found",
                            null);
                },
                executor);

        CompletableFuture<SyncPage> olderService = pages.fetch(credentials(1, "old", 60), Map.of(), 20, null);
        await().untilAsserted(() -> assertThat(olderService).isCompletedExceptionally());
        CompletableFuture<SyncPage> refusedCaller = pages.fetch(credentials(2, "revoked", 60), Map.of(), 20, null);
        await().untilAsserted(() -> assertThat(refusedCaller).isCompletedExceptionally());

        assertThat(kindOf(olderService)).isEqualTo(BackendException.Kind.UNAVAILABLE);
        assertThat(kindOf(refusedCaller)).isEqualTo(BackendException.Kind.UNAVAILABLE);
    }

    private static BackendException.Kind kindOf(CompletableFuture<SyncPage> failed) {
        Throwable failure = failed.handle((page, error) -> error).join();
        assertThat(failure).isInstanceOf(BackendException.class);
        return ((BackendException) failure).kind();
    }

    private static StoredMessage message(long seq) {
        return new StoredMessage(1, seq, true, 0, null, ("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8));
    }
}
