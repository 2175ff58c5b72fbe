package org.erpchat.events;

/**
 * An integer written as a string (a JSON string where an integer is expected, a path segment, a map key) is read by one
 * rule at every edge: digits only, without sign, space or leading zero ({@code "42"}, {@code "0"}; not {@code "+42"},
 * {@code " 42"}, {@code "042"}, {@code ""}). Java's own parsing would take all but the last, and {@code "042"} and
 * {@code "42"} would name the same thing in one place and be refused in another. docs/architecture.md ("JSON types are
 * strict") and docs/protocol.md §2 state the rule.
 */
public final class DigitStrings {

    /** The digits of {@link Long#MAX_VALUE}: a longer string of digits is out of range. */
    private static final int MAX_DIGITS = 19;

    private DigitStrings() {}

    /** Whether {@code text} is a non-negative integer written canonically: "0", or digits not starting with 0. */
    public static boolean isCanonical(String text) {
        int length = text.length();
        if (length == 0 || (text.charAt(0) == '0' && length > 1)) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The positive id {@code text} names (canonical digits, at most 2^63 - 1); -1 for anything else. */
    public static long positiveId(String text) {
        if (text == null || text.length() > MAX_DIGITS || !isCanonical(text) || text.equals("0")) {
            return -1;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException beyondLong) {
            return -1;
        }
    }
}
