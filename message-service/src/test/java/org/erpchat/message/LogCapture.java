package org.erpchat.message;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Everything logged, by any logger of the service, while it is open. */
final class LogCapture implements AutoCloseable {

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LogCapture() {
        appender.start();
        root.addAppender(appender);
    }

    /** The lines logged at {@code level} or above so far. */
    List<ILoggingEvent> atLeast(Level level) {
        List<ILoggingEvent> copy;
        // ListAppender appends under its own monitor (AppenderBase.doAppend is synchronized).
        synchronized (appender) {
            copy = new ArrayList<>(appender.list);
        }
        return copy.stream()
                .filter(event -> event.getLevel().isGreaterOrEqual(level))
                .toList();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
