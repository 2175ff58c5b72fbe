package org.erpchat.message.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.erpchat.support.domain.RefusedException;
import org.junit.jupiter.api.Test;

/** What a sync may ask for: the same rules for one caller and for each user of a gateway's batch. */
class SyncRulesTest {

    private final SyncRules rules = new SyncRules(new SyncProperties(500, 1000, 3));

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
