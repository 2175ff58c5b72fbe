package org.erpchat.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.erpchat.gateway.protocol.PreparedMessage;
import org.erpchat.gateway.protocol.WireMessage;
import org.junit.jupiter.api.Test;

/** The per-session order rules, on their own: what reaches the client for each sequence of arrivals. */
class MessageStreamTest {

    private final List<String> delivered = new ArrayList<>();
    private final MessageStream.Emitter emitter = (message, ack, createdAt) ->
            delivered.add((ack ? "ack:" : "") + message.conversationId() + "/" + message.seq());
    private final MessageStream stream = new MessageStream(4);

    @Test
    void aSessionThatDidNotDeclareAResumeGetsLiveMessagesAtOnce() {
        assertThat(live(1, 7)).isFalse();

        assertThat(delivered).containsExactly("1/7");
        assertThat(stream.endResumeWindow()).isFalse();
    }

    @Test
    void aMessageStoredBeforeTheSessionOpenedIsHistoryNotALiveMessageUnlessItIsTheSessionsOwnAcknowledgement() {
        Instant beforeOpening = Instant.now().minusSeconds(3);
        stream.offerLive(new LiveMessage(prepared(1, 5), false, beforeOpening), emitter);
        stream.offerLive(new LiveMessage(prepared(2, 9), true, beforeOpening), emitter);
        live(1, 6);

        assertThat(delivered).containsExactly("ack:2/9", "1/6");
    }

    @Test
    void aDeclaredResumeHoldsLiveMessagesUntilTheWindowEndsWithoutOne() {
        MessageStream declared = new MessageStream(4);
        declared.expectResume(System.nanoTime() + 1_000_000_000L);
        declared.offerLive(new LiveMessage(prepared(1, 7), false, Instant.now()), emitter);
        assertThat(delivered).isEmpty();
        assertThat(declared.resumeWindowLeft(System.nanoTime())).isPositive();

        assertThat(declared.endResumeWindow()).isTrue();
        assertThat(declared.nextRound()).isNull();
        declared.finishRound(emitter);

        assertThat(delivered).containsExactly("1/7");
        assertThat(declared.resumeWindowLeft(System.nanoTime())).isZero();
    }

    @Test
    void aDeclaredResumeReplaysTheMissedMessagesBeforeTheLiveOnesHeldMeanwhile() {
        MessageStream declared = new MessageStream(4);
        declared.expectResume(System.nanoTime() + 1_000_000_000L);
        declared.offerLive(new LiveMessage(prepared(1, 212), false, Instant.now()), emitter);

        declared.resume(Map.of(1L, 204L));
        assertThat(declared.nextRound().positions()).containsEntry(1L, 204L);
        for (long seq = 205; seq <= 212; seq++) {
            declared.offerReplayed(prepared(1, seq), emitter);
        }
        declared.finishRound(emitter);

        assertThat(delivered).containsExactly("1/205", "1/206", "1/207", "1/208", "1/209", "1/210", "1/211", "1/212");
    }

    @Test
    void aLateResumeOfAnUndeclaredClientStillReplaysWhatCameBeforeItsFirstLiveMessagesOnceEach() {
        live(1, 50);
        live(1, 51);
        live(2, 3);

        // The client holds 1 up to 47 and 2 up to 3, and has never seen conversation 5.
        assertThat(stream.resume(Map.of(1L, 47L, 2L, 3L))).isEqualTo(MessageStream.ResumeStart.START_CATCH_UP);
        live(1, 52);
        MessageStream.CatchUpPlan plan = stream.nextRound();
        assertThat(plan.positions()).containsEntry(1L, 47L).containsEntry(2L, 3L);
        for (long seq = 48; seq <= 52; seq++) {
            stream.offerReplayed(prepared(1, seq), emitter);
        }
        stream.offerReplayed(prepared(5, 1), emitter);
        MessageStream.RoundResult result = stream.finishRound(emitter);

        assertThat(delivered).containsExactly("1/50", "1/51", "2/3", "1/48", "1/49", "1/52", "5/1");
        assertThat(result.resumeOutcome().replayed()).isEqualTo(4);
        assertThat(result.resumeOutcome().positions())
                .containsEntry("1", 52L)
                .containsEntry("2", 3L)
                .containsEntry("5", 1L);
    }

    @Test
    void aResumeInSeveralFramesStartsWithItsLastFrameAndCountsAllOfThemAgainstTheLimit() {
        MessageStream declared = new MessageStream(4);
        long deadline = System.nanoTime() + 1_000_000_000L;
        declared.expectResume(deadline);
        declared.offerLive(new LiveMessage(prepared(2, 9), false, Instant.now()), emitter);

        assertThat(declared.resume(Map.of(1L, 4L), true, 3, deadline + 5))
                .isEqualTo(MessageStream.ResumeStart.MORE_EXPECTED);
        assertThat(declared.isAwaitingResume()).isTrue();
        assertThat(declared.resume(Map.of(2L, 8L), false, 3, deadline + 5))
                .isEqualTo(MessageStream.ResumeStart.START_CATCH_UP);
        assertThat(declared.nextRound().positions()).containsEntry(1L, 4L).containsEntry(2L, 8L);
        declared.finishRound(emitter);
        assertThat(delivered).containsExactly("2/9");

        MessageStream other = new MessageStream(4);
        assertThat(other.resume(Map.of(1L, 1L, 2L, 1L), true, 3, deadline))
                .isEqualTo(MessageStream.ResumeStart.MORE_EXPECTED);
        assertThat(other.resume(Map.of(3L, 1L, 4L, 1L), false, 3, deadline))
                .isEqualTo(MessageStream.ResumeStart.TOO_MANY_POSITIONS);
        assertThat(other.resume(Map.of(3L, 1L), false, 3, deadline))
                .isEqualTo(MessageStream.ResumeStart.START_CATCH_UP);
        assertThat(other.nextRound().positions()).containsOnlyKeys(3L);
    }

    @Test
    void theLimitCountsTheConversationsEarlierResumesOfTheConnectionLeftBehind() {
        long deadline = System.nanoTime() + 1_000_000_000L;
        assertThat(stream.resume(Map.of(1L, 1L, 2L, 1L, 3L, 1L), false, 3, deadline))
                .isEqualTo(MessageStream.ResumeStart.START_CATCH_UP);
        stream.nextRound();
        assertThat(stream.finishRound(emitter).resumeOutcome().positions()).containsOnlyKeys("1", "2", "3");

        // Each resume alone lists few conversations; together they would make the connection track more and more.
        assertThat(stream.resume(Map.of(4L, 1L), false, 3, deadline))
                .isEqualTo(MessageStream.ResumeStart.TOO_MANY_POSITIONS);
        assertThat(stream.resume(Map.of(2L, 5L, 3L, 1L), false, 3, deadline))
                .isEqualTo(MessageStream.ResumeStart.START_CATCH_UP);
        assertThat(stream.nextRound().positions()).containsOnlyKeys(1L, 2L, 3L).containsEntry(2L, 5L);
    }

    @Test
    void consecutiveMessagesAreDeliveredAndDuplicatesDropped() {
        assertThat(live(1, 5)).isFalse();
        assertThat(live(1, 6)).isFalse();
        assertThat(live(1, 6)).isFalse();
        assertThat(live(1, 5)).isFalse();

        assertThat(delivered).containsExactly("1/5", "1/6");
    }

    @Test
    void acknowledgementsHeldPastTwiceTheCapAreDroppedAndTheSessionMustClose() {
        MessageStream declared = new MessageStream(4);
        declared.expectResume(System.nanoTime() + 60_000_000_000L);
        // A client whose messages are held (its resume window kept open) goes on sending: its own acknowledgements
        // are kept beyond the cap, which cannot be fetched again, but not without end.
        for (long seq = 1; seq <= 8; seq++) {
            declared.offerLive(new LiveMessage(prepared(1, seq), true, Instant.now()), emitter);
            assertThat(declared.heldAcksOverflowed()).isFalse();
        }
        declared.offerLive(new LiveMessage(prepared(1, 9), true, Instant.now()), emitter);

        assertThat(declared.heldAcksOverflowed()).isTrue();
        assertThat(delivered).isEmpty();
    }

    @Test
    void aRepeatedAcknowledgementIsSentAgainButTheMessageIsNot() {
        live(1, 1);
        stream.offerLive(new LiveMessage(prepared(1, 1), true, Instant.now()), emitter);

        assertThat(delivered).containsExactly("1/1", "ack:1/1");
    }

    @Test
    void aSendWhileAResumeIsAwaitedIsAcknowledgedOnceInItsPlaceAndNotAlsoDeliveredByTheReplay() {
        MessageStream declared = new MessageStream(4);
        declared.expectResume(System.nanoTime() + 1_000_000_000L);
        declared.sending(1, "c-2");
        // Its acknowledgement carries a seq: it waits for the resume like any live message.
        declared.offerLive(new LiveMessage(prepared(1, 2), true, Instant.now()), emitter);
        // The same user's message from another connection: a message to this one, not an acknowledgement.
        declared.offerLive(new LiveMessage(prepared(1, 3), false, Instant.now()), emitter);
        assertThat(delivered).isEmpty();

        declared.resume(Map.of(1L, 0L));
        declared.nextRound();
        for (long seq = 1; seq <= 3; seq++) {
            declared.offerReplayed(prepared(1, seq), emitter);
        }
        MessageStream.RoundResult result = declared.finishRound(emitter);

        assertThat(delivered).containsExactly("1/1", "ack:1/2", "1/3");
        assertThat(result.resumeOutcome().replayed()).isEqualTo(3);
    }

    @Test
    void aSendTheReplayReachesBeforeItsAcknowledgementArrivesIsAcknowledgedByTheReplayOnly() {
        MessageStream declared = new MessageStream(4);
        declared.expectResume(System.nanoTime() + 1_000_000_000L);
        declared.sending(1, "c-2");
        declared.resume(Map.of(1L, 0L));
        declared.nextRound();
        // Stored, and so in the replay, before its record has come through Kafka.
        declared.offerReplayed(prepared(1, 1), emitter);
        declared.offerReplayed(prepared(1, 2), emitter);
        declared.finishRound(emitter);

        declared.offerLive(new LiveMessage(prepared(1, 2), true, Instant.now()), emitter);
        declared.offerLive(new LiveMessage(prepared(1, 3), false, Instant.now()), emitter);

        assertThat(delivered).containsExactly("1/1", "ack:1/2", "1/3");
    }

    @Test
    void aSendDuringTheCatchUpOfAGapIsAcknowledgedOnceInItsPlace() {
        live(1, 1);
        assertThat(live(1, 3)).isTrue();
        stream.sending(1, "c-4");
        stream.offerLive(new LiveMessage(prepared(1, 4), true, Instant.now()), emitter);

        assertThat(stream.nextRound().positions()).containsEntry(1L, 1L);
        for (long seq = 2; seq <= 4; seq++) {
            stream.offerReplayed(prepared(1, seq), emitter);
        }
        stream.finishRound(emitter);

        assertThat(delivered).containsExactly("1/1", "1/2", "1/3", "ack:1/4");
    }

    @Test
    void aGapHoldsLiveMessagesUntilTheMissingRangeIsReplayed() {
        live(1, 1);
        assertThat(live(1, 3)).isTrue();
        live(1, 4);
        live(2, 1);

        assertThat(stream.nextRound()).isEqualTo(new MessageStream.CatchUpPlan(false, Map.of(1L, 1L)));
        assertThat(stream.nextRound()).isNull();
        stream.offerReplayed(prepared(1, 2), emitter);
        stream.offerReplayed(prepared(1, 3), emitter);
        MessageStream.RoundResult result = stream.finishRound(emitter);

        assertThat(result.again()).isFalse();
        assertThat(delivered).containsExactly("1/1", "1/2", "1/3", "1/4", "2/1");
        assertThat(stream.isCatchingUp()).isFalse();
    }

    @Test
    void liveMessagesBeyondTheHeldBytesAreFetchedAgainRatherThanReleasedAtOnce() {
        // Room for two held frames: the third and fourth of conversation 1 must come from the next round's fetch.
        long frame = prepared(1, 4).deliveryFrame().size();
        MessageStream small = new MessageStream(100, 2 * frame + frame / 2);
        offer(small, 1, 1);
        assertThat(offer(small, 1, 3)).isTrue();
        offer(small, 1, 4);
        offer(small, 1, 5);
        offer(small, 1, 6);

        assertThat(small.nextRound()).isEqualTo(new MessageStream.CatchUpPlan(false, Map.of(1L, 1L)));
        assertThat(small.nextRound()).isNull();
        small.offerReplayed(prepared(1, 2), emitter);
        small.offerReplayed(prepared(1, 3), emitter);
        assertThat(small.finishRound(emitter).again()).isTrue();
        assertThat(delivered).containsExactly("1/1", "1/2", "1/3");

        assertThat(small.nextRound()).isEqualTo(new MessageStream.CatchUpPlan(false, Map.of(1L, 3L)));
        small.offerReplayed(prepared(1, 4), emitter);
        small.offerReplayed(prepared(1, 5), emitter);
        small.offerReplayed(prepared(1, 6), emitter);
        assertThat(small.nextRound()).isNull();
        assertThat(small.finishRound(emitter).again()).isFalse();
        assertThat(delivered).containsExactly("1/1", "1/2", "1/3", "1/4", "1/5", "1/6");
    }

    private boolean offer(MessageStream to, long conversation, long seq) {
        return to.offerLive(new LiveMessage(prepared(conversation, seq), false, Instant.now()), emitter);
    }

    @Test
    void aResumeReplaysEverythingPastTheClientsPositionsThenReleasesHeldLiveMessages() {
        assertThat(stream.resume(Map.of(1L, 10L))).isEqualTo(MessageStream.ResumeStart.START_CATCH_UP);
        live(1, 12);
        live(1, 11);

        MessageStream.CatchUpPlan plan = stream.nextRound();
        assertThat(plan.fullSync()).isTrue();
        assertThat(plan.positions()).containsEntry(1L, 10L);
        stream.offerReplayed(prepared(1, 11), emitter);
        stream.offerReplayed(prepared(7, 1), emitter);
        MessageStream.RoundResult result = stream.finishRound(emitter);

        assertThat(delivered).containsExactly("1/11", "7/1", "1/12");
        assertThat(result.again()).isFalse();
        assertThat(result.resumeOutcome().replayed()).isEqualTo(2);
        assertThat(result.resumeOutcome().positions()).containsEntry("1", 12L).containsEntry("7", 1L);
    }

    @Test
    void aResumePositionBeyondTheConversationsEndComesBackToItAndWhatFollowsIsFetched() {
        // The client kept its positions across a restore of the database: it claims 1,000,000 of a conversation at 52.
        stream.resume(Map.of(1L, 1_000_000L));
        live(1, 52);
        stream.nextRound();
        // The news began after 50: 51 was stored as the session opened and never reached it live.
        stream.endAt(1, 50);
        MessageStream.CatchUpPlan again = stream.nextRound();
        assertThat(again.fullSync()).isFalse();
        assertThat(again.positions()).containsExactly(Map.entry(1L, 50L));
        stream.offerReplayed(prepared(1, 51), emitter);
        stream.offerReplayed(prepared(1, 52), emitter);
        MessageStream.RoundResult result = stream.finishRound(emitter);
        live(1, 53);

        assertThat(delivered).containsExactly("1/51", "1/52", "1/53");
        assertThat(result.resumeOutcome().positions()).containsEntry("1", 52L);
    }

    @Test
    void aPositionIsNeverBroughtBackBelowWhatTheConnectionDeliveredLiveAndWhatLayBelowItIsBackfilled() {
        // A client that did not declare its resume got 7 and 8 live, then claims 100 of a conversation at 9.
        live(1, 7);
        live(1, 8);
        stream.resume(Map.of(1L, 100L));
        stream.nextRound();
        // The news began after 5: 6 was stored as the session opened and never reached it.
        stream.endAt(1, 5);
        MessageStream.CatchUpPlan again = stream.nextRound();
        assertThat(again.positions()).containsExactly(Map.entry(1L, 5L));
        for (long seq = 6; seq <= 8; seq++) {
            stream.offerReplayed(prepared(1, seq), emitter);
        }
        stream.finishRound(emitter);
        live(1, 9);

        assertThat(delivered).containsExactly("1/7", "1/8", "1/6", "1/9");
    }

    @Test
    void anEndAtOrBeyondThePositionChangesNothing() {
        live(1, 7);
        stream.endAt(1, 9);
        stream.endAt(2, 3);
        live(1, 7);
        live(1, 8);

        assertThat(delivered).containsExactly("1/7", "1/8");
        assertThat(stream.position(2)).isNull();
    }

    @Test
    void aSecondResumeWhileOneRunsIsRefused() {
        stream.resume(Map.of());

        assertThat(stream.resume(Map.of())).isEqualTo(MessageStream.ResumeStart.ALREADY_RESUMING);
    }

    @Test
    void heldMessagesBeyondTheLimitAreFetchedAgainInsteadOfLost() {
        live(1, 1);
        live(1, 3);
        for (long seq = 4; seq <= 10; seq++) {
            live(1, seq);
        }

        stream.nextRound();
        stream.offerReplayed(prepared(1, 2), emitter);
        assertThat(stream.finishRound(emitter).again()).isTrue();
        MessageStream.CatchUpPlan again = stream.nextRound();
        assertThat(again.positions()).containsEntry(1L, 2L);
        for (long seq = 3; seq <= 10; seq++) {
            stream.offerReplayed(prepared(1, seq), emitter);
        }
        assertThat(stream.finishRound(emitter).again()).isFalse();

        assertThat(delivered).containsExactly("1/1", "1/2", "1/3", "1/4", "1/5", "1/6", "1/7", "1/8", "1/9", "1/10");
    }

    @Test
    void aForgottenConversationReleasesItsHeldMessages() {
        live(3, 1);
        live(3, 5);

        stream.nextRound();
        stream.forget(3);
        stream.finishRound(emitter);

        assertThat(delivered).containsExactly("3/1", "3/5");
    }

    @Test
    void aReadMarkerAheadOfTheSessionWaitsForTheMessageItNamesAndOnlyTheFurthestIsKept() {
        live(1, 4);

        read(1, 9, 5);
        read(1, 9, 6);
        read(1, 2, 5); // the other participant's receipt is kept apart
        live(1, 5);
        live(1, 6);

        assertThat(delivered).containsExactly("1/4", "1/5", "read:1/2@5", "1/6", "read:1/9@6");
    }

    @Test
    void aReadMarkerTheSessionIsNotBehindOnGoesOutAtOnce() {
        live(1, 4);

        read(1, 9, 4);
        read(1, 9, 3);
        read(8, 9, 70); // nothing of conversation 8 on this connection: nothing to wait for

        assertThat(delivered).containsExactly("1/4", "read:1/9@4", "read:1/9@3", "read:8/9@70");
    }

    @Test
    void aReadMarkerDuringACatchUpFollowsTheReplayedMessages() {
        live(1, 1);
        assertThat(live(1, 3)).isTrue();
        read(1, 9, 3);
        read(2, 9, 1); // another conversation's: held as its messages are

        stream.nextRound();
        stream.offerReplayed(prepared(1, 2), emitter);
        assertThat(delivered).containsExactly("1/1", "1/2");
        stream.finishRound(emitter);

        assertThat(delivered).containsExactly("1/1", "1/2", "1/3", "read:1/9@3", "read:2/9@1");
    }

    @Test
    void aReadMarkerDuringADeclaredResumeWindowWaitsForTheResume() {
        MessageStream declared = new MessageStream(4);
        declared.expectResume(System.nanoTime() + 1_000_000_000L);
        declared.offerRead(1, 9, 12, () -> delivered.add("read:1/9@12"));
        assertThat(delivered).isEmpty();

        declared.resume(Map.of(1L, 10L));
        declared.nextRound();
        declared.offerReplayed(prepared(1, 11), emitter);
        declared.offerReplayed(prepared(1, 12), emitter);
        declared.finishRound(emitter);

        assertThat(delivered).containsExactly("1/11", "1/12", "read:1/9@12");
    }

    @Test
    void aReadMarkerHeldForAConversationTheSessionForgetsOrAWindowThatEndsIsSent() {
        live(1, 4);
        read(1, 9, 7);
        stream.forget(1);

        MessageStream declared = new MessageStream(4);
        declared.expectResume(System.nanoTime() + 1_000_000_000L);
        declared.offerRead(2, 9, 3, () -> delivered.add("read:2/9@3"));
        assertThat(declared.endResumeWindow()).isFalse();

        assertThat(delivered).containsExactly("1/4", "read:1/9@7", "read:2/9@3");
    }

    @Test
    void anAbandonedCatchUpDropsTheMarkersOfMessagesTheSessionNeverGot() {
        live(1, 1);
        assertThat(live(1, 3)).isTrue();
        read(1, 9, 3);
        read(2, 9, 8); // held with the messages, which the client may never get now

        stream.nextRound();
        stream.abandon();

        assertThat(delivered).containsExactly("1/1");
    }

    private boolean live(long conversation, long seq) {
        return stream.offerLive(new LiveMessage(prepared(conversation, seq), false, Instant.now()), emitter);
    }

    private void read(long conversation, long reader, long readSeq) {
        stream.offerRead(
                conversation,
                reader,
                readSeq,
                () -> delivered.add("read:" + conversation + "/" + reader + "@" + readSeq));
    }

    private static PreparedMessage prepared(long conversation, long seq) {
        return new PreparedMessage(message(conversation, seq));
    }

    private static WireMessage message(long conversation, long seq) {
        return new WireMessage(
                "m-" + conversation + "-" + seq,
                conversation,
                "private",
                seq,
                1,
                2L,
                null,
                "hi",
                "text",
                null,
                "c-" + seq,
                Instant.now());
    }
}
