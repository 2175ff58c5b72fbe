package org.erpchat.message.message;

/**
 * What counts as blank text, for a message's content and a group's name alike: text that would display as nothing.
 * {@link String#isBlank()} stops at Java's whitespace: content made only of a zero width space would be stored and
 * shown as an empty message.
 *
 * <p>Blank is null, empty, or made only of code points that are whitespace ({@link Character#isWhitespace(int)}, which
 * includes the line and paragraph separators U+2028 and U+2029), space separators ({@link Character#SPACE_SEPARATOR},
 * such as U+00A0 and U+3000), format characters ({@link Character#FORMAT}: zero-width and bidi controls such as U+200B,
 * U+200D, U+2060, U+FEFF, U+180E, U+202E) or control characters ({@link Character#CONTROL}, such as U+0001). Text with
 * any other code point is not blank and is kept exactly as sent, these characters included: an emoji sequence joins
 * its emoji with U+200D and U+FE0F.
 */
public final class BlankText {

    private BlankText() {}

    /** Whether {@code text} is null, empty or made only of characters that display as nothing. */
    public static boolean isBlank(String text) {
        return text == null || text.codePoints().allMatch(BlankText::showsNothing);
    }

    private static boolean showsNothing(int codePoint) {
        if (Character.isWhitespace(codePoint)) {
            return true;
        }
        int type = Character.getType(codePoint);
        return type == Character.SPACE_SEPARATOR || type == Character.FORMAT || type == Character.CONTROL;
    }
}
