package org.erpchat.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each recipient of a message is reached once, whatever the event lists. */
class MessageRouterRecipientsTest {

    @Test
    void aListInAscendingOrderIsUsedAsItIs() {
        List<Long> members = List.of(3L, 7L, 1_000L, 1_001L);

        assertThat(MessageRouter.distinct(members)).isSameAs(members);
    }

    @Test
    void aListInAnyOtherOrderIsDeduplicatedKeepingItsOrder() {
        Collection<Long> privateConversation = MessageRouter.distinct(List.of(9L, 4L));
        Collection<Long> repeated = MessageRouter.distinct(List.of(4L, 9L, 9L, 12L, 4L));

        assertThat(privateConversation).containsExactly(9L, 4L);
        assertThat(repeated).containsExactly(4L, 9L, 12L);
    }

    @Test
    void anEmptyOrSingleRecipientListNeedsNoWork() {
        assertThat(MessageRouter.distinct(List.of())).isEmpty();
        assertThat(MessageRouter.distinct(List.of(5L))).containsExactly(5L);
    }
}
