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
 */
final class TypingSessions {

    private final ConcurrentHashMap<String, SessionTyping> bySession = new ConcurrentHashMap<>();

    /**
     * A {@code typing} or {@code stop_typing} frame: applied, and {@code announce} run, unless the session is closing
     * or a frame of the same conversation that arrived later was applied first.
     *
     * @param arrival the order the frame arrived in on its socket (larger is later)
     * @return whether it was applied
     */
    boolean apply(
            String sessionId,
            BooleanSupplier closing,
            Participants conversation,
            boolean typing,
            long arrival,
            Runnable announce) {
        boolean[] applied = {false};
        bySession.compute(sessionId, (id, state) -> {
            if (closing.getAsBoolean()) {
                return state; // close has ended its typing, or is about to
            }
            SessionTyping current = state == null ? new SessionTyping() : state;
            if (current.apply(conversation, typing, arrival)) {
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
     * applied, so that a {@code typing} handled after the {@code stop_typing} that followed it changes nothing. Kept
     * until the session closes: one number per conversation the user typed in on this connection.
     */
    private static final class SessionTyping {

        private final Map<Long, Participants> typingIn = new HashMap<>();
        private final Map<Long, Long> lastArrival = new HashMap<>();

        boolean apply(Participants conversation, boolean typing, long arrival) {
            Long last = lastArrival.get(conversation.conversationId());
            if (last != null && last > arrival) {
                return false;
            }
            lastArrival.put(conversation.conversationId(), arrival);
            if (typing) {
                typingIn.put(conversation.conversationId(), conversation);
            } else {
                typingIn.remove(conversation.conversationId());
            }
            return true;
        }
    }
}
