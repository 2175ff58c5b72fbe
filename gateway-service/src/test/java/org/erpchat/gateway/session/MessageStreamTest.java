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

    @org.junit.jupiter.api.BeforeEach
    void clientDidNotResume() {
        stream.endResumeWindow();
    }

    @Test
    void aNewSessionHoldsLiveMessagesUntilItsResumeWindowEnds() {
        MessageStream fresh = new MessageStream(4);
        fresh.offerLive(new LiveMessage(prepared(1, 7), false, Instant.now()), emitter);
        assertThat(delivered).isEmpty();

        assertThat(fresh.endResumeWindow()).isTrue();
        assertThat(fresh.nextRound()).isNull();
        fresh.finishRound(emitter);

        assertThat(delivered).containsExactly("1/7");
    }

    @Test
    void aResumeAfterLiveMessagesArrivedReplaysTheMissedOnesFirst() {
        MessageStream fresh = new MessageStream(4);
        fresh.offerLive(new LiveMessage(prepared(1, 212), false, Instant.now()), emitter);

        fresh.resume(Map.of(1L, 204L));
        assertThat(fresh.nextRound().positions()).containsEntry(1L, 204L);
        for (long seq = 205; seq <= 212; seq++) {
            fresh.offerReplayed(prepared(1, seq), emitter);
        }
        fresh.finishRound(emitter);

        assertThat(delivered).containsExactly("1/205", "1/206", "1/207", "1/208", "1/209", "1/210", "1/211", "1/212");
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
    void aRepeatedAcknowledgementIsSentAgainButTheMessageIsNot() {
        live(1, 1);
        stream.offerLive(new LiveMessage(prepared(1, 1), true, Instant.now()), emitter);

        assertThat(delivered).containsExactly("1/1", "ack:1/1");
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

    private boolean live(long conversation, long seq) {
        return stream.offerLive(new LiveMessage(prepared(conversation, seq), false, Instant.now()), emitter);
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
