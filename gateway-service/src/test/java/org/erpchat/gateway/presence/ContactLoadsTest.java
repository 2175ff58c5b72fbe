package org.erpchat.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.erpchat.gateway.support.BatchCalls.credentials;
import static org.erpchat.gateway.support.BatchCalls.waitFor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.erpchat.gateway.backend.BackendException;
import org.erpchat.gateway.backend.MessageServiceClient.UserContacts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Users who connect together have their contacts asked for together, each with their own token. */
class ContactLoadsTest {

    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    private record Call(String token, List<String> tokens) {}

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    /**
     * message-service's answer for tokens "token-<user>-...": user n's contacts are n+1 and n+2; "revoked" tokens are
     * rejected, "unchecked" ones could not be checked.
     */
    private List<UserContacts> answer(String token, List<String> tokens) {
        calls.add(new Call(token, List.copyOf(tokens)));
        return tokens.stream()
                .map(each -> {
                    long user = Long.parseLong(each.split("-")[1]);
                    if (each.endsWith("-revoked")) {
                        return new UserContacts(null, null, "token_rejected");
                    }
                    return each.endsWith("-unchecked")
                            ? new UserContacts(null, null, "unavailable")
                            : new UserContacts(user, List.of(user + 1, user + 2), null);
                })
                .toList();
    }

    @Test
    void usersWhoConnectWhileAQueryIsOutAreAskedForTogetherOnceEach() throws InterruptedException {
        CountDownLatch firstCallStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstCall = new CountDownLatch(1);
        ContactLoads loads = new ContactLoads(
                (token, tokens) -> {
                    if (calls.isEmpty()) {
                        firstCallStarted.countDown();
                        waitFor(releaseFirstCall);
                    }
                    return answer(token, tokens);
                },
                executor);

        CompletableFuture<List<Long>> first = loads.load(1, credentials(1, "a", 60));
        assertThat(firstCallStarted.await(10, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<List<Long>>> later = new ArrayList<>();
        for (long user = 100; user < 150; user++) {
            later.add(loads.load(user, credentials(user, "a", 60)));
        }
        // A second session of user 100, whose token holds longer: the one asked with.
        CompletableFuture<List<Long>> secondSession = loads.load(100, credentials(100, "b", 3_600));
        releaseFirstCall.countDown();

        await().untilAsserted(() -> assertThat(secondSession).isCompleted());
        assertThat(first.join()).containsExactly(2L, 3L);
        assertThat(later).allSatisfy(load -> assertThat(load).isCompleted());
        assertThat(later.get(0).join()).containsExactly(101L, 102L);
        assertThat(secondSession.join()).containsExactly(101L, 102L);
        assertThat(calls).hasSize(2);
        assertThat(calls.get(1).tokens()).hasSize(50).contains("token-100-b").doesNotContain("token-100-a");
        assertThat(calls.get(1).token()).isEqualTo("token-100-b");
    }

    @Test
    void aRejectedTokenFailsOnlyItsUserAndManyUsersGoOutInChunks() {
        ContactLoads loads = new ContactLoads(this::answer, executor);
        CountDownLatch blocker = new CountDownLatch(1);
        executor.execute(() -> waitFor(blocker));
        List<CompletableFuture<List<Long>>> many = new ArrayList<>();
        for (long user = 1; user <= 1_200; user++) {
            String which = user == 7 ? "revoked" : user == 9 ? "unchecked" : "ok";
            many.add(loads.load(user, credentials(user, which, 60)));
        }
        blocker.countDown();

        await().untilAsserted(() ->
                assertThat(many).allSatisfy(load -> assertThat(load).isDone()));
        assertThat(calls)
                .extracting(call -> call.tokens().size())
                .containsExactly(ContactLoads.CHUNK, ContactLoads.CHUNK, 1_200 - 2 * ContactLoads.CHUNK);
        assertThatThrownBy(() -> many.get(6).join())
                .hasCauseInstanceOf(BackendException.class)
                .cause()
                .satisfies(failure ->
                        assertThat(((BackendException) failure).kind()).isEqualTo(BackendException.Kind.UNAUTHORIZED));
        // A token message-service could not check (its key server did not answer) is a fault to retry, not a refusal.
        assertThatThrownBy(() -> many.get(8).join())
                .hasCauseInstanceOf(BackendException.class)
                .cause()
                .satisfies(failure ->
                        assertThat(((BackendException) failure).kind()).isEqualTo(BackendException.Kind.UNAVAILABLE));
        assertThat(many.get(7).join()).containsExactly(9L, 10L);
    }

    @Test
    void aFailedCallFailsItsChunkAndTheLoadsThatFollowStillRun() {
        ContactLoads loads = new ContactLoads(
                (token, tokens) -> {
                    if (calls.isEmpty()) {
                        calls.add(new Call(token, tokens));
                        throw new BackendException(
                                BackendException.Kind.UNAVAILABLE, "message-service answered 503", null, null);
                    }
                    if (tokens.contains("token-5-ok")) {
                        return List.of(new UserContacts(6L, List.of(1L), null));
                    }
                    return answer(token, tokens);
                },
                executor);

        CompletableFuture<List<Long>> unlucky = loads.load(1, credentials(1, "ok", 60));
        await().untilAsserted(() -> assertThat(unlucky).isCompletedExceptionally());
        CompletableFuture<List<Long>> mixedUp = loads.load(5, credentials(5, "ok", 60));
        await().untilAsserted(() -> assertThat(mixedUp).isCompletedExceptionally());
        CompletableFuture<List<Long>> next = loads.load(2, credentials(2, "ok", 60));

        assertThat(next.join()).containsExactly(3L, 4L);
        assertThatThrownBy(unlucky::join).hasCauseInstanceOf(BackendException.class);
        assertThatThrownBy(mixedUp::join).hasMessageContaining("another user");
    }
}
