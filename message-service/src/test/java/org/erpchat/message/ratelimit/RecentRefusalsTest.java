package org.erpchat.message.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What an instance remembers of the users it has just refused. Times in nanoseconds, as the limiter judges them. */
class RecentRefusalsTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aRefusedUserIsKnownUntilTheBucketHasASendAgain() {
        RecentRefusals refusals = new RecentRefusals(10);
        refusals.refused(1, 100 * SECOND, 2 * SECOND, 100 * SECOND);

        assertThat(refusals.until(1)).isEqualTo(102 * SECOND);
        assertThat(refusals.until(2)).isZero();
    }

    @Test
    void theLatestRefusalCountsAndAGiveBackForgetsIt() {
        RecentRefusals refusals = new RecentRefusals(10);
        refusals.refused(1, 100 * SECOND, 5 * SECOND, 100 * SECOND);
        refusals.refused(1, 101 * SECOND, SECOND, 101 * SECOND);

        assertThat(refusals.until(1)).isEqualTo(102 * SECOND);

        refusals.forget(1);
        assertThat(refusals.until(1)).isZero();
    }

    @Test
    void whenFullOnlyRefusalsThatEndedMakeRoom() {
        RecentRefusals refusals = new RecentRefusals(2);
        refusals.refused(1, 100 * SECOND, SECOND, 100 * SECOND);
        refusals.refused(2, 100 * SECOND, 10 * SECOND, 100 * SECOND);

        // Nothing has ended yet: the third user is left to Redis.
        refusals.refused(3, 100 * SECOND, SECOND, 100 * SECOND);
        assertThat(refusals.until(3)).isZero();
        assertThat(refusals.size()).isEqualTo(2);

        // User 1's refusal has ended by now: it makes room.
        refusals.refused(3, 102 * SECOND, SECOND, 102 * SECOND);
        assertThat(refusals.until(3)).isEqualTo(103 * SECOND);
        assertThat(refusals.until(2)).isEqualTo(110 * SECOND);
        assertThat(refusals.until(1)).isZero();
    }

    @Test
    void noneAreRememberedWhenTheLimitIsZero() {
        RecentRefusals refusals = new RecentRefusals(0);
        refusals.refused(1, 100 * SECOND, SECOND, 100 * SECOND);

        assertThat(refusals.until(1)).isZero();
        assertThat(refusals.size()).isZero();
    }
}
