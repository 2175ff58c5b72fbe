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
        assertThat(rules.positions(Map.of("9", 4L, "2", 0L, "5", 17L)).keySet()).containsExactly(2L, 5L, 9L);
        assertThat(rules.positions(null)).isEmpty();
    }

    @Test
    void positionsAreConversationIdsMappedToNonNegativeSeqs() {
        Map<String, Long> noSeq = new HashMap<>();
        noSeq.put("1", null);
        String notPositions = "positions maps conversation ids (strings of digits) to non-negative seq numbers";
        assertInvalid(() -> rules.positions(Map.of("1", -1L)), notPositions);
        assertInvalid(() -> rules.positions(noSeq), notPositions);
        assertInvalid(() -> rules.positions(Map.of("0", 1L)), notPositions);
        // Digits only, within a long, as the WebSocket's resume takes them: Java's own parsing would take "+5", " 5",
        // "-5" and "007".
        for (String key : new String[] {"+5", " 5", "5 ", "-5", "", "0x10", "007", "99999999999999999999"}) {
            assertInvalid(() -> rules.positions(Map.of(key, 1L)), notPositions);
        }
        assertThat(rules.positions(Map.of("7", 1L))).containsEntry(7L, 1L);
        assertInvalid(
                () -> rules.positions(Map.of("1", 0L, "2", 0L, "3", 0L, "4", 0L)),
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
