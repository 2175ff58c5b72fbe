package org.erpchat.message.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.erpchat.support.domain.RefusedException;
import org.junit.jupiter.api.Test;

/** What a sync may ask for: the same rules for one caller and for each user of a gateway's batch. */
class SyncRulesTest {

    private final SyncRules rules = new SyncRules(new SyncProperties(500, 1000, 3, 2_000));

    @Test
    void positionsComeBackInConversationIdOrder() {
        assertThat(rules.positions(Map.of(9L, 4L, 2L, 0L, 5L, 17L)).keySet()).containsExactly(2L, 5L, 9L);
        assertThat(rules.positions(null)).isEmpty();
    }

    @Test
    void positionsAreConversationIdsMappedToNonNegativeSeqs() {
        Map<Long, Long> negative = Map.of(1L, -1L);
        Map<Long, Long> noSeq = new HashMap<>();
        noSeq.put(1L, null);
        assertInvalid(() -> rules.positions(negative), "positions maps conversation ids to non-negative seq numbers");
        assertInvalid(() -> rules.positions(noSeq), "positions maps conversation ids to non-negative seq numbers");
        assertInvalid(
                () -> rules.positions(Map.of(0L, 1L)), "positions maps conversation ids to non-negative seq numbers");
        assertInvalid(
                () -> rules.positions(Map.of(1L, 0L, 2L, 0L, 3L, 0L, 4L, 0L)),
                "positions may list at most 3 conversations");
    }

    @Test
    void aBatchsPagesAreCutInProportionOnlyWhenTogetherTheyPassTheBudget() {
        int[] gateways = new int[10];
        java.util.Arrays.fill(gateways, 200);
        assertThat(rules.batchLimits(gateways)).containsOnly(200);

        // The same user 500 times over, at the largest limit: 500,000 messages asked, 2,000 read.
        int[] flood = new int[500];
        java.util.Arrays.fill(flood, 1000);
        int[] cut = rules.batchLimits(flood);
        assertThat(cut).containsOnly(4);
        assertThat(java.util.Arrays.stream(cut).sum()).isLessThanOrEqualTo(2_000);

        assertThat(rules.batchLimits(new int[] {3_000, 1_000})).containsExactly(1_500, 500);
        int[] many = new int[3_000];
        java.util.Arrays.fill(many, 1);
        assertThat(rules.batchLimits(many)).containsOnly(1);
    }

    @Test
    void theLimitDefaultsAndStaysInRange() {
        assertThat(rules.limit(null)).isEqualTo(500);
        assertThat(rules.limit(1000)).isEqualTo(1000);
        assertInvalid(() -> rules.limit(0), "limit must be between 1 and 1000");
        assertInvalid(() -> rules.limit(1001), "limit must be between 1 and 1000");
    }

    private static void assertInvalid(Runnable call, String detail) {
        assertThatThrownBy(call::run)
                .isInstanceOf(RefusedException.class)
                .hasMessage(detail)
                .extracting(e -> ((RefusedException) e).kind())
                .isEqualTo(RefusedException.Kind.INVALID);
    }
}
