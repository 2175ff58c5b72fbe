package org.erpchat.presence.connection;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.erpchat.events.ConversationKind;
import org.erpchat.events.TypingIndicated;
import org.erpchat.presence.state.PresenceScripts;
import org.springframework.stereotype.Service;

/**
 * Typing per (conversation, user) with a TTL, in Redis only: never persisted anywhere else. The recipients are kept
 * with the indicator so that its expiry can be announced to the same people.
 */
@Service
class TypingStore {

    private final PresenceScripts scripts;

    TypingStore(PresenceScripts scripts) {
        this.scripts = scripts;
    }

    public TypingOutcome apply(TypingIndicated event) {
        long result = scripts.run(
                scripts.typing,
                List.of(
                        Long.toString(event.conversationId()),
                        Long.toString(event.userId()),
                        event.typing() ? "1" : "0",
                        encodeMeta(event.conversationKind(), event.recipientIds()),
                        Long.toString(event.at().toEpochMilli())));
        if (result == 1) {
            return TypingOutcome.CHANGED;
        }
        if (result == -2) {
            return TypingOutcome.STALE;
        }
        return result == -1 ? TypingOutcome.IGNORED : TypingOutcome.UNCHANGED;
    }

    /** {@code <kind>|<id>,<id>,...}, the form the scripts store and the outbox carries. */
    static String encodeMeta(ConversationKind kind, List<Long> recipientIds) {
        return kind.name().toLowerCase(Locale.ROOT) + "|"
                + recipientIds.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
