package org.erpchat.support.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.erpchat.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** {@link FaultLog}, and {@link KeyedFaultLog}: one per source of a fault. */
class FaultLogTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger("fault-log-test");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
    private final FaultLog faults = new FaultLog(logger, "publishing send commands", Duration.ofSeconds(60), clock);
    private final KeyedFaultLog keyed =
            new KeyedFaultLog(logger, "applying heartbeats of gateway", Duration.ofSeconds(60), 2, clock);

    @BeforeEach
    void capture() {
        logger.setLevel(Level.INFO);
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    @Test
    void failuresAmongSuccessesAreOneFaultThatAQuietIntervalEnds() {
        FaultLog mixed = FaultLog.endedByQuiet(logger, "publishing to Kafka", Duration.ofSeconds(30), clock);
        // One partition without a leader: every other record fails, for a minute.
        for (int i = 0; i < 600; i++) {
            mixed.failed(new IOException("no leader"));
            clock.advance(Duration.ofMillis(50));
            mixed.succeeded();
            clock.advance(Duration.ofMillis(50));
        }
        assertThat(mixed.isFailing()).isTrue();
        clock.advance(Duration.ofSeconds(30));
        mixed.succeeded();

        assertThat(lines.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly(
                        "Publishing to Kafka failed: IOException: no leader (further failures are counted, not logged"
                                + " one by one)",
                        "Publishing to Kafka still failing: 300 more failures in the last 30 s; latest: IOException:"
                                + " no leader",
                        "Publishing to Kafka works again after 600 failures over 90000 ms");
        assertThat(mixed.isFailing()).isFalse();
    }

    @Test
    void aThousandFailuresInOneMinuteAreOneLineThenOneLineWhenItRecovers() {
        for (int i = 0; i < 1000; i++) {
            faults.failed(new IOException("broker unreachable", new IllegalStateException("timed out")));
            clock.advance(Duration.ofMillis(50));
        }
        faults.succeeded();
        faults.succeeded();

        List<ILoggingEvent> logged = lines.list;
        assertThat(logged).hasSize(2);
        assertThat(logged.get(0).getLevel()).isEqualTo(Level.WARN);
        assertThat(logged.get(0).getFormattedMessage())
                .startsWith("Publishing send commands failed: IllegalStateException: timed out");
        assertThat(logged.get(0).getThrowableProxy()).isNull();
        assertThat(logged.get(1).getLevel()).isEqualTo(Level.INFO);
        assertThat(logged.get(1).getFormattedMessage())
                .isEqualTo("Publishing send commands works again after 1000 failures over 50000 ms");
    }

    @Test
    void aCauseChainThatLoopsIsDescribedNotFollowedForever() {
        IllegalStateException first = new IllegalStateException("first");
        IllegalArgumentException second = new IllegalArgumentException("second");
        first.initCause(second);
        second.initCause(first);

        faults.failed(first);

        assertThat(lines.list).hasSize(1);
        assertThat(lines.list.get(0).getFormattedMessage()).startsWith("Publishing send commands failed: ");
    }

    @Test
    void aLastingFaultIsRemindedOncePerIntervalWithTheCountSinceTheLastLine() {
        faults.failed(new IOException("down"));
        for (int i = 0; i < 30; i++) {
            clock.advance(Duration.ofSeconds(3));
            faults.failed(new IOException("down"));
        }

        assertThat(lines.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly(
                        "Publishing send commands failed: IOException: down (further failures are counted, not logged"
                                + " one by one)",
                        "Publishing send commands still failing: 20 more failures in the last 60 s; latest:"
                                + " IOException: down");
        assertThat(faults.isFailing()).isTrue();
    }

    @Test
    void successesWithoutAFaultLogNothing() {
        faults.succeeded();
        assertThat(lines.list).isEmpty();
        assertThat(faults.isFailing()).isFalse();
    }

    @Test
    void oneSourceFailingAmongOthersThatSucceedIsOneLineNotTwoPerFailure() {
        // A gateway whose clock is off, every 10 s, while two others heartbeat fine in between.
        for (int i = 0; i < 30; i++) {
            keyed.failed("gw-skewed", new IllegalStateException("stale"));
            keyed.succeeded("gw-a");
            keyed.succeeded("gw-b");
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(lines.list).hasSize(1);
        assertThat(lines.list.get(0).getLevel()).isEqualTo(Level.WARN);
        assertThat(lines.list.get(0).getFormattedMessage())
                .startsWith("Applying heartbeats of gateway gw-skewed failed: IllegalStateException: stale");
        assertThat(keyed.isFailing("gw-skewed")).isTrue();

        keyed.succeeded("gw-skewed");

        assertThat(lines.list).hasSize(2);
        assertThat(lines.list.get(1).getFormattedMessage())
                .isEqualTo("Applying heartbeats of gateway gw-skewed works again after 30 failures over 30000 ms");
        assertThat(keyed.isFailing("gw-skewed")).isFalse();
    }

    @Test
    void keysBeyondTheLimitAreCountedTogetherAndEndWhenNoKeyFailsOnItsOwn() {
        keyed.failed("gw-1", new IllegalStateException("stale"));
        keyed.failed("gw-2", new IllegalStateException("stale"));
        keyed.failed("gw-3", new IllegalStateException("stale"));
        keyed.failed("gw-4", new IllegalStateException("stale"));

        assertThat(lines.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .hasSize(3)
                .allMatch(line -> line.contains("failed: IllegalStateException: stale"));
        assertThat(lines.list.get(2).getFormattedMessage()).startsWith("Applying heartbeats of gateway others");

        keyed.succeeded("gw-3"); // counted with the others: ends nothing while gw-1 and gw-2 fail on their own
        assertThat(lines.list).hasSize(3);

        keyed.succeeded("gw-1");
        keyed.succeeded("gw-2");
        keyed.succeeded("gw-4");

        assertThat(lines.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsSubsequence(
                        "Applying heartbeats of gateway gw-1 works again after 1 failures over 0 ms",
                        "Applying heartbeats of gateway gw-2 works again after 1 failures over 0 ms",
                        "Applying heartbeats of gateway others (too many failing to name each) works again after 2"
                                + " failures over 0 ms");
        assertThat(lines.list).hasSize(6);
    }
}
