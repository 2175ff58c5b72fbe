package org.erpchat.bench.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChatApiTest {

    @Test
    void aRetryAfterInSecondsIsTheDelayToWait() {
        assertThat(ChatApi.retryAfter("3")).isEqualTo(Duration.ofSeconds(3));
        assertThat(ChatApi.retryAfter(" 0 ")).isEqualTo(Duration.ZERO);
    }

    @Test
    void noHeaderOrADateIsNoDelay() {
        assertThat(ChatApi.retryAfter(null)).isNull();
        assertThat(ChatApi.retryAfter("Wed, 21 Oct 2026 07:28:00 GMT")).isNull();
    }
}
