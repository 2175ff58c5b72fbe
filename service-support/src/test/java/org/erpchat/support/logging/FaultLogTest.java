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

class FaultLogTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger("fault-log-test");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
    private final FaultLog faults = new FaultLog(logger, "publishing send commands", Duration.ofSeconds(60), clock);

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
}
