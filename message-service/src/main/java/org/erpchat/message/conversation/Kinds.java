package org.erpchat.message.conversation;

import java.util.Locale;
import org.erpchat.events.ConversationKind;

/** The database and JSON spelling of {@link ConversationKind}: {@code private} and {@code group}. */
public final class Kinds {

    private Kinds() {}

    public static String wireName(ConversationKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    public static ConversationKind fromWireName(String value) {
        return ConversationKind.valueOf(value.toUpperCase(Locale.ROOT));
    }
}
