package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.erpchat.message.Problems.assertProblem;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A user creates at most {@code chat.message.groups.max-creations} groups per {@code creation-window} (test settings:
 * 5 per hour), counted in PostgreSQL by creator; one more is 429 {@code rate_limited} with {@code Retry-After}.
 */
class GroupCreationLimitTest extends MessageServiceTest {

    private static final int MAX_CREATIONS = 5;

    @Test
    void aCreationOverTheBoundIs429WithRetryAfterAndCountsTheCreatorNotTheOwner() {
        long alice = knownUser();
        long bob = knownUser();
        List<Long> created = new ArrayList<>();
        for (int i = 0; i < MAX_CREATIONS; i++) {
            created.add(createGroup(alice, List.of(bob)));
        }
        // Alice leaves every group she created: bob owns them now, but she still created them.
        for (long group : created) {
            assertThat(api.as(alice)
                            .delete("/api/groups/" + group + "/members/" + alice)
                            .status())
                    .isEqualTo(204);
        }

        Api.Response refused =
                api.as(alice).post("/api/groups", Api.body("name", "One more", "member_ids", List.of(bob)));
        assertProblem(refused, 429, "rate_limited");
        assertThat(refused.text("detail")).isEqualTo("at most 5 groups created per 1h");
        // The first of the five leaves the hour first: a few seconds ago.
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(3_000L, 3_600L);
        // Nothing was written.
        assertThat(groupsCreatedBy(alice)).isEqualTo(MAX_CREATIONS);
        assertThat(groupIds(bob)).containsExactlyElementsOf(created);

        // Others have bounds of their own: bob, who owns five groups now, created none.
        Api.Response bobs = api.as(bob).post("/api/groups", Api.body("name", "Mine", "member_ids", List.of(alice)));
        assertThat(bobs.status()).as(bobs.toString()).isEqualTo(201);
        // Alice still sends, to her groups too: the bound is on creations only.
        assertThat(sendGroup(alice, bobs.longValue("id"), "thanks").status()).isEqualTo(201);
    }

    @Test
    void parallelCreationsPassOnlyUpToTheBound() throws Exception {
        long carol = knownUser();
        long dave = knownUser();
        int attempts = 8;
        ExecutorService threads = Executors.newFixedThreadPool(attempts);
        List<Integer> statuses = new ArrayList<>();
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Api.Response>> answers = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                String name = "Parallel " + i;
                answers.add(threads.submit(() -> {
                    start.await();
                    return api.as(carol).post("/api/groups", Api.body("name", name, "member_ids", List.of(dave)));
                }));
            }
            start.countDown();
            for (Future<Api.Response> answer : answers) {
                Api.Response response = answer.get(60, TimeUnit.SECONDS);
                if (response.status() != 201) {
                    assertProblem(response, 429, "rate_limited");
                }
                statuses.add(response.status());
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(statuses.stream().filter(status -> status == 201)).hasSize(MAX_CREATIONS);
        assertThat(statuses.stream().filter(status -> status == 429)).hasSize(attempts - MAX_CREATIONS);
        assertThat(groupsCreatedBy(carol)).isEqualTo(MAX_CREATIONS);
        assertThat(groupIds(dave)).hasSize(MAX_CREATIONS);
    }

    @Test
    void creationsOlderThanTheWindowNeitherCountNorStay() {
        long erin = knownUser();
        long frank = knownUser();
        // Five creations of two hours ago (the window is an hour), and one of a few minutes ago.
        for (int i = 0; i < MAX_CREATIONS; i++) {
            recordCreation(erin, "2 hours");
        }
        recordCreation(erin, "5 minutes");

        for (int i = 0; i < MAX_CREATIONS - 1; i++) {
            createGroup(erin, List.of(frank));
        }
        // The recent one and the four just created fill the window.
        assertProblem(
                api.as(erin).post("/api/groups", Api.body("name", "Over", "member_ids", List.of(frank))),
                429,
                "rate_limited");
        // The old ones went with the first creation that looked at them.
        assertThat(groupsCreatedBy(erin)).isEqualTo(MAX_CREATIONS);
    }

    private void recordCreation(long userId, String ago) {
        jdbc.sql("INSERT INTO group_creations (creator_id, created_at, group_id)"
                        + " VALUES (:user, now() - CAST(:ago AS interval), 0)")
                .param("user", userId)
                .param("ago", ago)
                .update();
    }

    private long groupsCreatedBy(long userId) {
        return jdbc.sql("SELECT count(*) FROM group_creations WHERE creator_id = :user")
                .param("user", userId)
                .query(Long.class)
                .single();
    }

    private List<Long> groupIds(long userId) {
        return groupIdsOn(api.as(userId).get("/api/groups"));
    }
}
