package org.erpchat.events;

import java.util.regex.Pattern;

/**
 * The rules a send's fields follow wherever the send enters the system (a WebSocket frame at the gateway, a REST body
 * or a Kafka command at message-service), so that a client meets the same answer on every path and a retry that was
 * valid on one path is valid on the other.
 *
 * <ul>
 *   <li><b>Storable text</b>: no U+0000 (PostgreSQL cannot store it in a text column) and no unpaired UTF-16
 *       surrogate (it has no UTF-8 encoding: it would be stored as {@code ?}, and what history returns would differ
 *       from what was acknowledged). Everything else in Unicode is allowed and comes back byte for byte.
 *   <li><b>{@code client_msg_id}</b>: 1 to {@value #CLIENT_MSG_ID_MAX_LENGTH} printable ASCII characters without
 *       spaces ({@code U+0021} to {@code U+007E}): safe in any log, header or URL, and a UUID fits.
 * </ul>
 */
public final class SendRules {

    public static final int CLIENT_MSG_ID_MAX_LENGTH = 100;

    /** What a client is told when its {@code client_msg_id} breaks the rule. */
    public static final String CLIENT_MSG_ID_RULE =
            "client_msg_id must be 1 to " + CLIENT_MSG_ID_MAX_LENGTH + " printable ASCII characters without spaces";

    private static final Pattern CLIENT_MSG_ID = Pattern.compile("[\\x21-\\x7E]{1," + CLIENT_MSG_ID_MAX_LENGTH + "}");

    private SendRules() {}

    /** Whether {@code id} is a valid {@code client_msg_id}. */
    public static boolean isValidClientMsgId(String id) {
        return id != null && CLIENT_MSG_ID.matcher(id).matches();
    }

    /**
     * Whether {@code text} can be stored and returned exactly: it holds no NUL and no unpaired surrogate. Null is
     * storable (an absent field).
     */
    public static boolean isStorable(String text) {
        return text == null || firstUnstorable(text) < 0;
    }

    /**
     * Says what is wrong with {@code text} for a client, naming the field and the position, or returns null when it
     * is storable.
     */
    public static String unstorableReason(String field, String text) {
        int at = text == null ? -1 : firstUnstorable(text);
        if (at < 0) {
            return null;
        }
        String what = text.charAt(at) == 0 ? "a NUL character (U+0000)" : "an unpaired UTF-16 surrogate";
        return field + " contains " + what + " at index " + at + "; such text cannot be stored";
    }

    /** The index of the first NUL or unpaired surrogate, or -1. */
    private static int firstUnstorable(String text) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return i;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return i;
            }
            if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
