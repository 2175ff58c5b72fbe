package org.erpchat.gateway.typing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.erpchat.events.ConversationKind;
import org.erpchat.events.GroupMembershipChanged;
import org.erpchat.events.GroupMembershipChanged.Change;
import org.erpchat.gateway.backend.MessageServiceClient;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.session.Credentials;
import org.erpchat.gateway.support.JsonBackend;
import org.erpchat.gateway.typing.ConversationDirectory.Participants;
import org.erpchat.support.security.AuthenticatedUser;
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

    @Test
    void aLargeGroupsMembersAreFoundAsInAShortOne() {
        List<Long> members =
                LongStream.rangeClosed(1, 500).map(id -> id * 3).boxed().toList();
        directory.learn(membership(Change.MEMBERS_ADDED, members));
        Participants group = directory.lastKnown(31).orElseThrow();

        assertThat(group.includes(1_500)).isTrue();
        assertThat(group.includes(3)).isTrue();
        assertThat(group.includes(1_501)).isFalse();
        assertThat(new Participants(12, ConversationKind.PRIVATE, List.of(7L, 9L), 0).includes(9))
                .isTrue();
    }

    /**
     * message-service's answer was made before a removal this gateway learned of while the answer travelled (here a
     * real HTTP server that learns it while answering): the directory keeps the newer membership.
     */
    @Test
    void anAnswerMadeBeforeAMembershipChangeLearnedMeanwhileDoesNotReplaceIt() {
        AtomicReference<ConversationDirectory> learning = new AtomicReference<>();
        try (JsonBackend messageService = JsonBackend.start().answer("/api/conversations/31", () -> {
            learning.get().learn(membership(Change.MEMBERS_REMOVED, List.of(5L, 7L)));
            return "{\"id\":31,\"type\":\"group\",\"group_id\":31,\"member_ids\":[5,7,8]}";
        })) {
            GatewayProperties properties = messageService.properties();
            ConversationDirectory asking = new ConversationDirectory(new MessageServiceClient(properties));
            learning.set(asking);
            Instant expiry = Instant.now().plusSeconds(3600);
            Credentials member = new Credentials(new AuthenticatedUser(7, "user 7"), "token", expiry, expiry);

            assertThat(asking.conversation(member, 31)).isPresent();

            assertThat(asking.lastKnown(31)).map(Participants::memberIds).contains(List.of(5L, 7L));
        }
    }

    /**
     * A full directory makes room by forgetting conversations nobody asks about, not everything it knows: a group whose
     * typing is routed all along keeps its members through as many other conversations again passing by.
     */
    @Test
    void aFullDirectoryForgetsConversationsNobodyAsksAboutAndKeepsTheOneInUse() {
        directory.learn(membership(Change.MEMBERS_ADDED, List.of(5L, 7L, 8L)));
        for (long group = 1_000; group < 1_000 + ConversationDirectory.MAX_ENTRIES; group++) {
            directory.learn(membership(group, Change.MEMBERS_ADDED, List.of(group, group + 1)));
            if (group % 100 == 0) {
                assertThat(directory.lastKnown(31))
                        .as("the group in use, after group " + group)
                        .isPresent();
            }
        }

        assertThat(directory.lastKnown(31)).map(Participants::memberIds).contains(List.of(5L, 7L, 8L));
        assertThat(directory.conversationsKnown()).isLessThanOrEqualTo(ConversationDirectory.MAX_ENTRIES);
    }

    private static GroupMembershipChanged membership(Change change, List<Long> members) {
        return membership(31, change, members);
    }

    private static GroupMembershipChanged membership(long group, Change change, List<Long> members) {
        return new GroupMembershipChanged(group, "Sales", change, 5, List.of(8L), members, Instant.now());
    }
}
