package org.erpchat.support.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;

/**
 * Stands in for the appenders above Kafka's client loggers: {@link RepeatedKafkaLinesInstaller} attaches it to
 * {@value RepeatedKafkaLinesFilter#KAFKA_CLIENTS} and makes that logger non-additive, so each line of a Kafka client
 * that its logger's level lets through comes here, and what the {@link RepeatedKafkaLinesFilter} lets through goes on
 * to the appenders it would have reached: those of {@code org.apache.kafka} and above (the root's, in a Boot
 * application). Logback applies an appender's filters only to the lines it is given, so the rest of the application
 * pays nothing for it: no turbo filter, which Logback would consult on every logging call of every logger.
 */
final class KafkaClientLinesAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    private final Logger above;

    KafkaClientLinesAppender(LoggerContext context, RepeatedKafkaLinesFilter filter) {
        setContext(context);
        setName("repeated-kafka-lines");
        addFilter(filter);
        this.above = context.getLogger(parentOf(RepeatedKafkaLinesFilter.KAFKA_CLIENTS));
    }

    @Override
    protected void append(ILoggingEvent line) {
        above.callAppenders(line);
    }

    private static String parentOf(String loggerName) {
        return loggerName.substring(0, loggerName.lastIndexOf('.'));
    }
}
