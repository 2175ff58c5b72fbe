package org.erpchat.message.user;

/**
 * Display names as this service stores them. A name claim comes with every caller's token, and recording the caller
 * must never fail its request: a name PostgreSQL cannot store (NUL, unpaired UTF-16 surrogates) or longer than the
 * column is repaired instead of refused. (Names the ERP provisions through the admin endpoint are refused instead:
 * there a 400 reaches someone who can fix the name.)
 */
final class DisplayNames {

    /** The width of {@code users.display_name}, in characters (code points, as PostgreSQL counts them). */
    static final int MAX_LENGTH = 200;

    private static final int REPLACEMENT = 0xFFFD;

    private DisplayNames() {}

    /**
     * {@code name} stripped, with every NUL and unpaired surrogate replaced by U+FFFD, cut to {@link #MAX_LENGTH}
     * characters; null when nothing is left.
     */
    static String sanitized(String name) {
        if (name == null) {
            return null;
        }
        StringBuilder repaired = new StringBuilder(Math.min(name.length(), MAX_LENGTH * 2));
        // codePoints() yields an unpaired surrogate as a code point of its own, in the surrogate range.
        name.strip()
                .codePoints()
                .limit(MAX_LENGTH)
                .forEach(codePoint -> repaired.appendCodePoint(
                        codePoint == 0 || Character.getType(codePoint) == Character.SURROGATE
                                ? REPLACEMENT
                                : codePoint));
        String result = repaired.toString().strip();
        return result.isEmpty() ? null : result;
    }
}
