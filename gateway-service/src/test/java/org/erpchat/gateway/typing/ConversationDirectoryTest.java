package org.erpchat.gateway.typing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.erpchat.events.ConversationKind;
import org.erpchat.events.GroupMembershipChanged;
import org.erpchat.events.GroupMembershipChanged.Change;
import org.erpchat.gateway.typing.ConversationDirectory.Participants;
import org.junit.jupiter.api.Test;

/** What the directory knows without asking message-service: the newest membership that passed by. */
class ConversationDirectoryTest {

    private final ConversationDirectory directory = new ConversationDirectory(null);

    @Test
    void aTypingsParticipantsGiveWayToAMembershipLearnedAfterThem() {
        directory.learn(membership(Change.MEMBERS_ADDED, List.of(5L, 7L, 8L)));
        Participants whenTypingStarted = directory.lastKnown(31).orElseThrow();

        directory.learn(membership(Change.MEMBERS_REMOVED, List.of(5L, 7L)));

        assertThat(directory.latest(whenTypingStarted).memberIds()).containsExactly(5L, 7L);
        assertThat(directory.lastKnown(31)).map(Participants::memberIds).contains(List.of(5L, 7L));
    }

    @Test
    void participantsNewerThanAnythingLearnedStayAsTheyAre() {
        Participants newer =
                new Participants(31, ConversationKind.GROUP, List.of(5L, 9L), System.nanoTime() + 120_000_000_000L);
        directory.learn(membership(Change.MEMBERS_ADDED, List.of(5L, 7L)));

        assertThat(directory.latest(newer)).isSameAs(newer);
        assertThat(directory.lastKnown(32)).isEmpty();
    }

    private static GroupMembershipChanged membership(Change change, List<Long> members) {
        return new GroupMembershipChanged(31, "Sales", change, 5, List.of(8L), members, Instant.now());
    }
}
