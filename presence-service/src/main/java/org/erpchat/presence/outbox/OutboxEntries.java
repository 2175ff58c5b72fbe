package org.erpchat.presence.outbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.erpchat.events.ChatEvent;
import org.erpchat.events.ConversationKind;
import org.erpchat.events.PresenceChanged;
import org.erpchat.events.UserTyping;

/** Turns an outbox stream entry written by the Lua scripts ({@code emit_presence}, {@code emit_typing}) into its event. */
final class OutboxEntries {

    private OutboxEntries() {}

    static ChatEvent decode(Map<?, ?> fields) {
        String type = field(fields, "type");
        Instant at = Instant.ofEpochMilli(Long.parseLong(field(fields, "at")));
        long userId = Long.parseLong(field(fields, "user"));
        switch (type) {
            case "presence":
                return new PresenceChanged(
                        userId,
                        "1".equals(field(fields, "online")),
                        Instant.ofEpochMilli(Long.parseLong(field(fields, "last_seen"))),
                        at);
            case "typing":
                String meta = field(fields, "meta");
                int bar = meta.indexOf('|');
                if (bar < 0) {
                    throw new IllegalArgumentException("malformed typing meta " + meta);
                }
                return new UserTyping(
                        Long.parseLong(field(fields, "conversation")),
                        ConversationKind.valueOf(meta.substring(0, bar).toUpperCase(Locale.ROOT)),
                        userId,
                        ids(meta.substring(bar + 1)),
                        "1".equals(field(fields, "typing")),
                        at);
            default:
                throw new IllegalArgumentException("unknown outbox entry type " + type);
        }
    }

    private static List<Long> ids(String csv) {
        List<Long> ids = new ArrayList<>();
        if (!csv.isEmpty()) {
            for (String id : csv.split(",")) {
                ids.add(Long.parseLong(id));
            }
        }
        return ids;
    }

    private static String field(Map<?, ?> fields, String name) {
        Object value = fields.get(name);
        if (value == null) {
            throw new IllegalArgumentException("outbox entry without " + name);
        }
        return value.toString();
    }
}
