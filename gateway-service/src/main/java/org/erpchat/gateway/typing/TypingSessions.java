package org.erpchat.gateway.typing;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.erpchat.gateway.typing.ConversationDirectory.Participants;

/**
 * What each session is typing in. The frames of one session are handled on the task pool, so two of them may run at
 * once, out of the order they arrived in, and one may run after its session closed. Every change of a session's state,
 * and the announcement that goes with it, happens inside the map's {@code compute} for that session: a frame handled
 * after its session closed finds it closing and changes nothing (no entry left behind, no "typing" announced after the
 * close's "stopped"), and the close's "stopped" follows whatever was announced before it.
 *
 * <p>Only changes are announced, and a start at most once per {@link #RESTART_INTERVAL_NANOS} per conversation, with
 * a small allowance for starting again sooner after a stop: each announcement in a group becomes a Kafka record
 * listing every member and a frame to every member online, so a client that repeats {@code typing} on every keystroke,
 * or flips it on and off, must not multiply that. A repeated start within the interval is absorbed (presence-service's
 * 10-second state is renewed by the next one after it); a stop with no start announced says nothing; a start after a
 * stop within the interval is announced while the session's allowance lasts ({@link #RESTARTS_AT_ONCE}, one more per
 * interval), and otherwise waits for the client's next {@code typing}. A message sent in the conversation ends its
 * typing, and the next start is announced at once.
 */
final class TypingSessions {

    /** The interval clients are asked to keep between {@code typing} frames (docs/protocol.md, {@code typing}). */
    static final long RESTART_INTERVAL_NANOS = 3_000_000_000L;

    /** Starts soon after a stop that a session may announce at once; one more comes back per interval. */
    static final int RESTARTS_AT_ONCE = 3;

    private final ConcurrentHashMap<String, SessionTyping> bySession = new ConcurrentHashMap<>();

    /**
     * A {@code typing} or {@code stop_typing} frame: applied unless the session is closing or a frame of the same
     * conversation that arrived later was applied first, and {@code announce} run if it changes what the others are
     * told (above).
     *
     * @param arrival the order the frame arrived in on its socket (larger is later)
     * @param arrivedAtNanos when it arrived ({@link System#nanoTime()})
     * @return whether it was announced
     */
    boolean apply(
            String sessionId,
            BooleanSupplier closing,
            Participants conversation,
            boolean typing,
            long arrival,
            long arrivedAtNanos,
            Runnable announce) {
        boolean[] applied = {false};
        bySession.compute(sessionId, (id, state) -> {
            if (closing.getAsBoolean()) {
                return state; // close has ended its typing, or is about to
            }
            SessionTyping current = state == null ? new SessionTyping() : state;
            if (current.apply(conversation, typing, arrival, arrivedAtNanos)) {
                applied[0] = true;
                announce.run();
            }
            return current;
        });
        return applied[0];
    }

    /** The session sent a message: its typing in that conversation is over ({@code announce} runs if it was on). */
    void stop(String sessionId, long conversationId, Runnable announce) {
        bySession.computeIfPresent(sessionId, (id, state) -> {
            state.lastStart.remove(conversationId);
            if (state.typingIn.remove(conversationId) != null) {
                announce.run();
            }
            return state;
        });
    }

    /** The session closed: {@code stopped} runs for each conversation it was typing in, and its state goes. */
    void close(String sessionId, Consumer<Participants> stopped) {
        bySession.computeIfPresent(sessionId, (id, state) -> {
            state.typingIn.values().forEach(stopped);
            return null;
        });
    }

    /** Sessions holding typing state. */
    int size() {
        return bySession.size();
    }

    /**
     * One session's typing: the conversations it is typing in, and per conversation the arrival of the last frame
     * applied, so that a {@code typing} handled after the {@code stop_typing} that followed it changes nothing, and when
     * its last start was announced. Kept until the session closes: two numbers per conversation the user typed in on
     * this connection.
     */
    private static final class SessionTyping {

        private final Map<Long, Participants> typingIn = new HashMap<>();
        private final Map<Long, Long> lastArrival = new HashMap<>();
        private final Map<Long, Long> lastStart = new HashMap<>();
        private int restarts = RESTARTS_AT_ONCE;
        private long restartsCountedAt;

        boolean apply(Participants conversation, boolean typing, long arrival, long arrivedAtNanos) {
            long id = conversation.conversationId();
            Long last = lastArrival.get(id);
            if (last != null && last > arrival) {
                return false;
            }
            lastArrival.put(id, arrival);
            if (!typing) {
                return typingIn.remove(id) != null;
            }
            Long started = lastStart.get(id);
            if (started != null
                    && arrivedAtNanos - started < RESTART_INTERVAL_NANOS
                    && (typingIn.containsKey(id) || !takeRestart(arrivedAtNanos))) {
                return false;
            }
            lastStart.put(id, arrivedAtNanos);
            typingIn.put(id, conversation);
            return true;
        }

        private boolean takeRestart(long now) {
            if (restarts < RESTARTS_AT_ONCE) {
                long regained = (now - restartsCountedAt) / RESTART_INTERVAL_NANOS;
                if (regained > 0) {
                    restarts = (int) Math.min(RESTARTS_AT_ONCE, restarts + regained);
                    restartsCountedAt += regained * RESTART_INTERVAL_NANOS;
                }
            }
            if (restarts == 0) {
                return false;
            }
            if (restarts == RESTARTS_AT_ONCE) {
                restartsCountedAt = now;
            }
            restarts--;
            return true;
        }
    }
}
