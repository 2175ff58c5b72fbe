package org.erpchat.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SendRulesTest {

    @Test
    void textWithoutNulOrUnpairedSurrogatesIsStorable() {
        assertThat(SendRules.isStorable("Xin chào 👋 — ok")).isTrue();
        assertThat(SendRules.isStorable("")).isTrue();
        assertThat(SendRules.isStorable(null)).isTrue();
        assertThat(SendRules.unstorableReason("content", "fine")).isNull();
    }

    @Test
    void nulAndUnpairedSurrogatesAreNotStorableAndTheReasonSaysWhere() {
        assertThat(SendRules.isStorable("nul\u0000byte")).isFalse();
        assertThat(SendRules.isStorable("lone \ud800 surrogate")).isFalse();
        assertThat(SendRules.isStorable("reversed \udc00\ud800")).isFalse();
        assertThat(SendRules.isStorable("ends high \ud83d")).isFalse();
        assertThat(SendRules.unstorableReason("content", "nul\u0000byte"))
                .isEqualTo("content contains a NUL character (U+0000) at index 3; such text cannot be stored");
        assertThat(SendRules.unstorableReason("file_id", "lone \ud800 surrogate"))
                .isEqualTo("file_id contains an unpaired UTF-16 surrogate at index 5; such text cannot be stored");
    }

    @Test
    void clientMsgIdsArePrintableAsciiWithoutSpacesUpToOneHundredCharacters() {
        assertThat(SendRules.isValidClientMsgId("c-1")).isTrue();
        assertThat(SendRules.isValidClientMsgId("0193a5f0-7c1e-7000-8000-000000000001"))
                .isTrue();
        assertThat(SendRules.isValidClientMsgId("x".repeat(100))).isTrue();
        assertThat(SendRules.isValidClientMsgId("x".repeat(101))).isFalse();
        assertThat(SendRules.isValidClientMsgId("")).isFalse();
        assertThat(SendRules.isValidClientMsgId(null)).isFalse();
        assertThat(SendRules.isValidClientMsgId("with space")).isFalse();
        assertThat(SendRules.isValidClientMsgId("naïve")).isFalse();
        assertThat(SendRules.isValidClientMsgId("tab\there")).isFalse();
    }
}
