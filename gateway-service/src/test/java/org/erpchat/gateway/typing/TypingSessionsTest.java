package org.erpchat.gateway.typing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.erpchat.events.ConversationKind;
import org.erpchat.gateway.typing.ConversationDirectory.Participants;
import org.junit.jupiter.api.Test;

/**
 * A session's typing as its frames are handled on the pool: perhaps out of order, perhaps after it closed; and what of
 * it is announced when a client repeats or flips it.
 */
class TypingSessionsTest {

    private static final long SECOND = 1_000_000_000L;

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
        apply("s1", false, true, 1, 0);
        // stop_typing (arrived third) is handled first, then the typing that arrived before it.
        assertThat(apply("s1", false, false, 3, SECOND * 4)).isTrue();
        assertThat(apply("s1", false, true, 2, SECOND * 4)).isFalse();

        sessions.close("s1", conversation -> announced.add("stopped " + conversation.conversationId()));
        assertThat(announced).containsExactly("typing 12", "stopped-frame 12");
    }

    @Test
    void aStartRepeatedWithinTheIntervalIsAbsorbedAndOneAfterItRenewsTheState() {
        // A client that sends typing on every keystroke.
        for (int key = 0; key < 10; key++) {
            apply("s1", false, true, key + 1, key * SECOND / 4);
        }
        assertThat(announced).containsExactly("typing 12");

        assertThat(apply("s1", false, true, 11, 3 * SECOND)).isTrue();
        assertThat(announced).containsExactly("typing 12", "typing 12");
    }

    @Test
    void aStopWithNoStartAnnouncedSaysNothing() {
        assertThat(apply("s1", false, false, 1, 0)).isFalse();
        apply("s1", false, true, 2, 0);
        apply("s1", false, false, 3, 0);
        assertThat(apply("s1", false, false, 4, 0)).isFalse();

        assertThat(announced).containsExactly("typing 12", "stopped-frame 12");
    }

    @Test
    void startingAgainSoonAfterAStopIsAnnouncedAFewTimesThenOncePerInterval() {
        long arrival = 0;
        for (long at = 0; at < 9 * SECOND; at += SECOND / 10) {
            apply("s1", false, true, ++arrival, at);
            apply("s1", false, false, ++arrival, at + SECOND / 20);
        }

        // 90 starts and stops in 9 s. Announced: the first start, three restarts at once (0.1-0.3 s), then the restart
        // regained after 3 s (3.1 s), a start a whole interval after that one (6.1 s) and the next regained (6.2 s).
        assertThat(announced.stream().filter(line -> line.startsWith("typing")))
                .hasSize(1 + TypingSessions.RESTARTS_AT_ONCE + 3);
        assertThat(announced.stream().filter(line -> line.startsWith("stopped")))
                .hasSameSizeAs(announced.stream()
                        .filter(line -> line.startsWith("typing"))
                        .toList());
    }

    @Test
    void aUserWhoPausesAndTypesOnIsShownAtOnce() {
        apply("s1", false, true, 1, 0);
        apply("s1", false, false, 2, SECOND);

        assertThat(apply("s1", false, true, 3, SECOND + SECOND / 2)).isTrue();
        assertThat(announced).containsExactly("typing 12", "stopped-frame 12", "typing 12");
    }

    @Test
    void aMessageSentLetsTheNextStartThroughAtOnce() {
        apply("s1", false, true, 1, 0);
        sessions.stop("s1", 12, () -> announced.add("sent 12"));

        assertThat(apply("s1", false, true, 2, SECOND)).isTrue();
        assertThat(announced).containsExactly("typing 12", "sent 12", "typing 12");
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
        return apply(session, closing, typing, arrival, arrival * SECOND * 4);
    }

    private boolean apply(String session, boolean closing, boolean typing, long arrival, long atNanos) {
        return sessions.apply(
                session,
                () -> closing,
                twelve,
                typing,
                arrival,
                atNanos,
                () -> announced.add((typing ? "typing " : "stopped-frame ") + twelve.conversationId()));
    }
}
