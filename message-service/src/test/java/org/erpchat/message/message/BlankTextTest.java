package org.erpchat.message.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What counts as blank text: plain rules, no database. */
class BlankTextTest {

    @Test
    void textOfOnlyWhitespaceSpaceSeparatorsFormatAndControlCharactersIsBlank() {
        List<String> blank = List.of(
                "",
                " \t\r\n",
                "\u200B", // zero width space (format)
                "\u00A0", // no-break space (space separator, not Java whitespace)
                "\u2060", // word joiner
                "\uFEFF", // zero width no-break space
                "\u180E", // Mongolian vowel separator
                "\u3000", // ideographic space
                "\u0001", // start of heading (control)
                "\u0085", // next line (control)
                "\u2028\u2029", // line and paragraph separators
                "\u200E\u200F\u202A\u202E\u2066\u2069", // bidi marks, embeddings and isolates
                "\u200C\u200D", // zero width non-joiner and joiner
                "\uDB40\uDC01\uDB40\uDC7F", // tag characters (format, outside the BMP)
                "\u00A0\u200B \u3000\u2060\uFEFF\u0001");
        assertThat(blank)
                .allSatisfy(text -> assertThat(BlankText.isBlank(text))
                        .as(
                                "%s",
                                text.codePoints().mapToObj(Integer::toHexString).toList())
                        .isTrue());
        assertThat(BlankText.isBlank(null)).isTrue();
    }

    @Test
    void textWithAnyOtherCharacterIsNotBlank() {
        List<String> notBlank = List.of(
                "a",
                "\u200Ba\u200B",
                "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67", // a family: emoji joined by U+200D
                "\u2764\uFE0F", // a red heart: U+FE0F selects its emoji form
                "\uD800"); // an unpaired surrogate: not blank, refused as unstorable instead
        assertThat(notBlank)
                .allSatisfy(text -> assertThat(BlankText.isBlank(text))
                        .as(
                                "%s",
                                text.codePoints().mapToObj(Integer::toHexString).toList())
                        .isFalse());
    }
}
