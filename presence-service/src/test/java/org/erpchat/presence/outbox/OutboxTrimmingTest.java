package org.erpchat.presence.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.erpchat.testsupport.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Events the outbox dropped unpublished: every one counted, logged once per outage with the count. */
@ExtendWith(OutputCaptureExtension.class)
class OutboxTrimmingTest {

    private static final String FIRST = "The presence outbox reached chat.presence.outbox.max-length";
    private static final String TOTAL = "The presence outbox dropped";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final AtomicLong counted = new AtomicLong();
    private final OutboxTrimming trimming = new OutboxTrimming(counted::addAndGet, clock);

    @Test
    void passesThatFindNothingDroppedSayNothing(CapturedOutput output) {
        for (int i = 0; i < 100; i++) {
            trimming.taken(0);
            clock.advance(Duration.ofSeconds(10));
        }

        assertThat(counted).hasValue(0);
        assertThat(output.getAll()).doesNotContain("presence outbox");
    }

    @Test
    void everyDropIsCountedAndAnOutageIsLoggedOnceThenWithItsTotal(CapturedOutput output) {
        trimming.taken(100);
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(20));
            trimming.taken(0);
            trimming.taken(101);
        }
        // Less than a quiet minute since the last drop: still the same outage.
        clock.advance(OutboxTrimming.QUIET.minusSeconds(1));
        trimming.taken(0);

        assertThat(counted).hasValue(100 + 5 * 101);
        assertThat(lines(output, FIRST)).isEqualTo(1);
        assertThat(output.getAll()).contains("it dropped 100 of its oldest unpublished events");
        assertThat(lines(output, TOTAL)).isZero();

        clock.advance(Duration.ofSeconds(1));
        trimming.taken(0);
        trimming.taken(0);

        assertThat(lines(output, TOTAL)).isEqualTo(1);
        assertThat(output.getAll()).contains("dropped 605 unpublished events in all over 100 s");

        // A later outage is a new one.
        trimming.taken(7);
        assertThat(lines(output, FIRST)).isEqualTo(2);
        assertThat(output.getAll()).contains("it dropped 7 of its oldest unpublished events");
        assertThat(counted).hasValue(612);
    }

    private static long lines(CapturedOutput output, String text) {
        return output.getAll().lines().filter(line -> line.contains(text)).count();
    }
}
