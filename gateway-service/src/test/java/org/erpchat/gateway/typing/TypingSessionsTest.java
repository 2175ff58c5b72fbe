package org.erpchat.gateway.typing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.erpchat.events.ConversationKind;
import org.erpchat.gateway.typing.ConversationDirectory.Participants;
import org.junit.jupiter.api.Test;

/** A session's typing as its frames are handled on the pool: perhaps out of order, perhaps after it closed. */
class TypingSessionsTest {

    private final TypingSessions sessions = new TypingSessions();
    private final List<String> announced = new ArrayList<>();
    private final Participants twelve = new Participants(12, ConversationKind.GROUP, List.of(7L, 9L), 0);

    @Test
    void aTypingHandledAfterItsSessionClosedAnnouncesNothingAndLeavesNothingBehind() {
        assertThat(apply("s1", false, true, 1)).isTrue();
        sessions.close("s1", conversation -> announced.add("stopped " + conversation.conversationId()));

        assertThat(apply("s1", true, true, 2)).isFalse();

        assertThat(announced).containsExactly("typing 12", "stopped 12");
        assertThat(sessions.size()).isZero();
    }

    @Test
    void aTypingHandledAfterTheStopThatFollowedItChangesNothing() {
        // stop_typing (arrived second) is handled first, then the typing that arrived before it.
        assertThat(apply("s1", false, false, 2)).isTrue();
        assertThat(apply("s1", false, true, 1)).isFalse();

        sessions.close("s1", conversation -> announced.add("stopped " + conversation.conversationId()));
        assertThat(announced).containsExactly("stopped-frame 12");
    }

    @Test
    void sendingAMessageEndsTheTypingOnceAndTheCloseHasNothingLeftToStop() {
        apply("s1", false, true, 1);
        sessions.stop("s1", 12, () -> announced.add("sent 12"));
        sessions.stop("s1", 12, () -> announced.add("sent again 12"));
        sessions.close("s1", conversation -> announced.add("stopped " + conversation.conversationId()));

        assertThat(announced).containsExactly("typing 12", "sent 12");
    }

    private boolean apply(String session, boolean closing, boolean typing, long arrival) {
        return sessions.apply(
                session,
                () -> closing,
                twelve,
                typing,
                arrival,
                () -> announced.add((typing ? "typing " : "stopped-frame ") + twelve.conversationId()));
    }
}
