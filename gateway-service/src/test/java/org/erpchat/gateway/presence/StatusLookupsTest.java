package org.erpchat.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.erpchat.gateway.support.BatchCalls.waitFor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.erpchat.gateway.backend.BackendException;
import org.erpchat.gateway.session.Credentials;
import org.erpchat.support.security.AuthenticatedUser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sessions that open together share presence-service queries, and each gets exactly the statuses it asked for. */
class StatusLookupsTest {

    /** Users with an even id are online. */
    private static PresenceStatus statusOf(long user) {
        return new PresenceStatus(user, user % 2 == 0, Instant.parse("2026-12-01T08:00:00Z"));
    }

    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final List<Query> queries = new CopyOnWriteArrayList<>();
    private final Map<String, List<Long>> answered = new ConcurrentHashMap<>();

    private record Query(String token, List<Long> users) {}

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void requestsThatArriveWhileAQueryIsOutGoOutTogetherAsOneQuery() throws InterruptedException {
        CountDownLatch firstQueryStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstQuery = new CountDownLatch(1);
        StatusLookups lookups = new StatusLookups(
                (token, users) -> {
                    queries.add(new Query(token, List.copyOf(users)));
                    if (queries.size() == 1) {
                        firstQueryStarted.countDown();
                        waitFor(releaseFirstQuery);
                    }
                    return users.stream().map(StatusLookupsTest::statusOf).toList();
                },
                executor);

        lookups.request(request("first", 1, List.of(2L, 3L), true));
        assertThat(firstQueryStarted.await(10, TimeUnit.SECONDS)).isTrue();
        for (int session = 0; session < 50; session++) {
            lookups.request(request("s" + session, 100 + session, List.of(4L, 5L, 6L + session), true));
        }
        releaseFirstQuery.countDown();

        await().untilAsserted(() -> assertThat(answered).hasSize(51));
        assertThat(queries).hasSize(2);
        // Each user once, however many sessions asked.
        assertThat(queries.get(1).users()).doesNotHaveDuplicates().contains(4L, 5L, 6L, 55L);
        assertThat(answered.get("first")).containsExactly(2L);
        assertThat(answered.get("s0")).containsExactly(4L, 6L);
        assertThat(answered.get("s1")).containsExactly(4L);
    }

    @Test
    void aSubscriptionGetsOfflineUsersTooAndLargeRequestsGoOutInChunks() {
        StatusLookups lookups = new StatusLookups(
                (token, users) -> {
                    queries.add(new Query(token, List.copyOf(users)));
                    return users.stream().map(StatusLookupsTest::statusOf).toList();
                },
                executor);
        List<Long> many = LongStream.rangeClosed(1, 1_200).boxed().toList();

        lookups.request(request("subscriber", 9_999, many, false));

        await().untilAsserted(() -> assertThat(answered.get("subscriber")).hasSize(1_200));
        assertThat(queries)
                .extracting(query -> query.users().size())
                .containsExactly(StatusLookups.CHUNK, StatusLookups.CHUNK, 1_200 - 2 * StatusLookups.CHUNK);
    }

    @Test
    void theTokenThatAsksIsTheOneThatHoldsLongestAndAFailedChunkOnlyCostsItsUsers() {
        StatusLookups lookups = new StatusLookups(
                (token, users) -> {
                    queries.add(new Query(token, List.copyOf(users)));
                    if (users.contains(1L)) {
                        throw new BackendException(
                                BackendException.Kind.UNAVAILABLE, "presence-service answered 503", null, null);
                    }
                    return users.stream().map(StatusLookupsTest::statusOf).toList();
                },
                executor);
        CountDownLatch blocker = new CountDownLatch(1);
        executor.execute(() -> waitFor(blocker));
        List<Long> firstChunkWithUserOne = new ArrayList<>(
                LongStream.rangeClosed(1, StatusLookups.CHUNK).boxed().toList());

        lookups.request(
                request("short", 10, firstChunkWithUserOne, true, Instant.now().plusSeconds(60)));
        lookups.request(
                request("long", 11, List.of(600L, 602L), true, Instant.now().plusSeconds(3_600)));
        blocker.countDown();

        await().untilAsserted(() -> assertThat(answered.get("long")).containsExactly(600L, 602L));
        assertThat(queries).extracting(Query::token).containsOnly("token-long");
        assertThat(answered).doesNotContainKey("short");
    }

    @Test
    void requestsNoLongerWantedWhenTheirTurnComesCostNoQuery() {
        StatusLookups lookups = new StatusLookups(
                (token, users) -> {
                    queries.add(new Query(token, List.copyOf(users)));
                    return users.stream().map(StatusLookupsTest::statusOf).toList();
                },
                executor);
        CountDownLatch blocker = new CountDownLatch(1);
        executor.execute(() -> waitFor(blocker));
        Instant later = Instant.now().plusSeconds(600);

        // A client that subscribes over and over: only its latest subscription is still wanted.
        for (int i = 0; i < 100; i++) {
            lookups.request(request("replaced-" + i, 30, List.of(1_000L + i), false, later, () -> false));
        }
        lookups.request(request("latest", 30, List.of(2L), false, later, () -> true));
        blocker.countDown();

        await().untilAsserted(() -> assertThat(answered.get("latest")).containsExactly(2L));
        assertThat(queries)
                .singleElement()
                .satisfies(query -> assertThat(query.users()).containsExactly(2L));
        assertThat(answered).containsOnlyKeys("latest");
    }

    @Test
    void anUnexpectedFailureDoesNotStopTheLookUpsThatFollow() {
        StatusLookups lookups = new StatusLookups(
                (token, users) -> {
                    queries.add(new Query(token, List.copyOf(users)));
                    if (queries.size() == 1) {
                        throw new IllegalStateException("an answer that could not be read");
                    }
                    return users.stream().map(StatusLookupsTest::statusOf).toList();
                },
                executor);

        lookups.request(request("unlucky", 20, List.of(2L), true));
        await().untilAsserted(() -> assertThat(queries).hasSize(1));
        lookups.request(request("next", 21, List.of(4L), true));

        await().untilAsserted(() -> assertThat(answered.get("next")).containsExactly(4L));
        assertThat(answered).doesNotContainKey("unlucky");
    }

    private StatusLookups.Request request(String name, long userId, List<Long> users, boolean onlineOnly) {
        return request(name, userId, users, onlineOnly, Instant.now().plusSeconds(600));
    }

    private StatusLookups.Request request(
            String name, long userId, List<Long> users, boolean onlineOnly, Instant acceptedUntil) {
        return request(name, userId, users, onlineOnly, acceptedUntil, () -> true);
    }

    private StatusLookups.Request request(
            String name,
            long userId,
            List<Long> users,
            boolean onlineOnly,
            Instant acceptedUntil,
            java.util.function.BooleanSupplier wanted) {
        Credentials asker =
                new Credentials(new AuthenticatedUser(userId, name), "token-" + name, acceptedUntil, acceptedUntil);
        return new StatusLookups.Request(
                asker,
                users,
                onlineOnly,
                status -> answered.computeIfAbsent(name, key -> new CopyOnWriteArrayList<>())
                        .add(status.userId()),
                wanted);
    }
}
