package org.erpchat.presence.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.erpchat.events.ConversationKind;
import org.erpchat.events.PresenceChanged;
import org.erpchat.events.UserTyping;
import org.junit.jupiter.api.Test;

/** The stream entries the Lua scripts write, read back as events: plain decoding, no Redis. */
class OutboxEntriesTest {

    @Test
    void aPresenceEntryIsAPresenceChange() {
        Map<String, String> entry =
                Map.of("type", "presence", "at", "2000", "user", "42", "online", "0", "last_seen", "1500");

        assertThat(OutboxEntries.decode(entry))
                .isEqualTo(new PresenceChanged(42, false, Instant.ofEpochMilli(1500), Instant.ofEpochMilli(2000)));
    }

    @Test
    void aTypingEntryCarriesItsConversationKindAndRecipients() {
        Map<String, String> entry = Map.of(
                "type", "typing", "at", "3000", "user", "7", "conversation", "99", "typing", "1", "meta", "group|8,9");

        assertThat(OutboxEntries.decode(entry))
                .isEqualTo(new UserTyping(
                        99, ConversationKind.GROUP, 7, List.of(8L, 9L), true, Instant.ofEpochMilli(3000)));
    }

    @Test
    void aTypingEntryWithoutRecipientsHasAnEmptyList() {
        Map<String, String> entry = Map.of(
                "type", "typing", "at", "3000", "user", "7", "conversation", "5", "typing", "0", "meta", "private|");

        assertThat(((UserTyping) OutboxEntries.decode(entry)).recipientIds()).isEmpty();
    }

    @Test
    void anEntryNoScriptWritesIsRefusedWithTheReason() {
        assertThatThrownBy(() -> OutboxEntries.decode(Map.of("type", "presence", "at", "1")))
                .hasMessage("outbox entry without user");
        assertThatThrownBy(() -> OutboxEntries.decode(Map.of("type", "mood", "at", "1", "user", "1")))
                .hasMessage("unknown outbox entry type mood");
        assertThatThrownBy(() -> OutboxEntries.decode(Map.of(
                        "type", "typing", "at", "1", "user", "1", "conversation", "2", "typing", "1", "meta", "nobar")))
                .hasMessage("malformed typing meta nobar");
    }
}
