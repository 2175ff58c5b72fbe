package org.erpchat.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DigitStringsTest {

    @ParameterizedTest
    @ValueSource(strings = {"0", "7", "42", "9223372036854775807", "99999999999999999999"})
    void digitsWithoutALeadingZeroAreCanonical(String text) {
        assertThat(DigitStrings.isCanonical(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "00", "07", "+7", "-7", " 7", "7 ", "0x10", "1e3", "7.0", "٧"})
    void anythingElseIsNot(String text) {
        assertThat(DigitStrings.isCanonical(text)).isFalse();
        assertThat(DigitStrings.positiveId(text)).isEqualTo(-1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "00", "07", "9223372036854775808", "99999999999999999999"})
    void aPositiveIdIsAboveZeroWithinALong(String text) {
        assertThat(DigitStrings.positiveId(text)).isEqualTo(-1);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 42, Long.MAX_VALUE})
    void aPositiveIdIsItsValue(long id) {
        assertThat(DigitStrings.positiveId(Long.toString(id))).isEqualTo(id);
    }
}
