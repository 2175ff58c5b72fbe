package org.erpchat.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.erpchat.gateway.backend.BackendException;
import org.junit.jupiter.api.Test;

/** Contacts outlive a user's last session for a while, so a reconnect does not ask message-service again. */
class ContactDirectoryTest {

    private final AtomicInteger fetches = new AtomicInteger();

    private Supplier<CompletableFuture<Collection<Long>>> fetched(Long... contacts) {
        return () -> {
            fetches.incrementAndGet();
            return CompletableFuture.completedFuture(List.of(contacts));
        };
    }

    @Test
    void sessionsThatOpenWhileTheirUsersContactsLoadWaitForThatOneLoad() {
        ContactDirectory directory = new ContactDirectory(Duration.ofMinutes(10));
        CompletableFuture<Collection<Long>> answer = new CompletableFuture<>();
        CompletableFuture<Void> first = directory.loadIfAbsent(1, () -> {
            fetches.incrementAndGet();
            return answer;
        });
        CompletableFuture<Void> second = directory.loadIfAbsent(1, fetched(99L));

        assertThat(first).isNotDone();
        assertThat(second).isNotDone();
        answer.complete(List.of(2L, 3L));

        assertThat(first).isCompleted();
        assertThat(second).isCompleted();
        assertThat(fetches).hasValue(1);
        assertThat(directory.contactsOf(1)).containsExactlyInAnyOrder(2L, 3L);
        assertThat(directory.watchersOf(3)).containsExactly(1L);
    }

    @Test
    void aFailedLoadFailsTheSessionsWaitingForItAndTheNextSessionAsksAgain() {
        ContactDirectory directory = new ContactDirectory(Duration.ofMinutes(10));
        CompletableFuture<Collection<Long>> answer = new CompletableFuture<>();
        CompletableFuture<Void> failed = directory.loadIfAbsent(1, () -> answer);
        answer.completeExceptionally(
                new BackendException(BackendException.Kind.UNAVAILABLE, "message-service answered 503", null, null));

        assertThat(failed).isCompletedExceptionally();
        assertThatThrownBy(failed::join).hasCauseInstanceOf(BackendException.class);
        assertThat(directory.isLoaded(1)).isFalse();
        assertThat(directory.loadIfAbsent(1, fetched(4L))).isCompleted();
        assertThat(directory.contactsOf(1)).containsExactly(4L);
    }

    @Test
    void aUserWhoReconnectsGetsTheContactsKeptFromTheirLastSessionWithoutAFetch() {
        ContactDirectory directory = new ContactDirectory(Duration.ofMinutes(10));
        directory.loadIfAbsent(1, fetched(2L, 3L));
        directory.drop(1);

        assertThat(directory.watchersOf(2)).isEmpty();
        directory.loadIfAbsent(1, fetched(99L));

        assertThat(fetches).hasValue(1);
        assertThat(directory.contactsOf(1)).containsExactlyInAnyOrder(2L, 3L);
        assertThat(directory.watchersOf(2)).containsExactly(1L);
    }

    @Test
    void contactsMadeWhileTheUserHadNoSessionAreKeptToo() {
        ContactDirectory directory = new ContactDirectory(Duration.ofMinutes(10));
        directory.loadIfAbsent(1, fetched(2L));
        directory.drop(1);

        directory.add(1, List.of(1L, 4L));
        directory.add(7, List.of(7L, 8L));
        directory.loadIfAbsent(1, fetched(99L));

        assertThat(directory.contactsOf(1)).containsExactlyInAnyOrder(2L, 4L);
        assertThat(directory.watchersOf(4)).containsExactly(1L);
        assertThat(directory.isRetained(7)).isFalse();
        assertThat(fetches).hasValue(1);
    }

    @Test
    void whatWasKeptIsFetchedAgainOnceForgottenOrExpiredOrWhenRetentionIsOff() {
        ContactDirectory directory = new ContactDirectory(Duration.ofMinutes(10));
        directory.loadIfAbsent(1, fetched(2L));
        directory.drop(1);
        directory.forgetRetained(1);
        directory.loadIfAbsent(1, fetched(3L));
        assertThat(directory.contactsOf(1)).containsExactly(3L);

        ContactDirectory expiring = new ContactDirectory(Duration.ofNanos(1));
        expiring.loadIfAbsent(5, fetched(6L));
        expiring.drop(5);
        expiring.loadIfAbsent(5, fetched(7L));
        assertThat(expiring.contactsOf(5)).containsExactly(7L);
        expiring.drop(5);
        expiring.forgetExpired();
        assertThat(expiring.isRetained(5)).isFalse();

        ContactDirectory off = new ContactDirectory(Duration.ZERO);
        off.loadIfAbsent(8, fetched(9L));
        off.drop(8);
        assertThat(off.isRetained(8)).isFalse();

        assertThat(fetches).hasValue(5);
    }
}
