package org.erpchat.support.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;

/**
 * Puts a {@link RepeatedKafkaLinesFilter} between Kafka's client loggers and the application's appenders while the
 * application runs ({@link KafkaClientLinesAppender} on {@value RepeatedKafkaLinesFilter#KAFKA_CLIENTS}, which is made
 * non-additive), and sweeps the filter's ended counts once per window on a daemon thread of its own. It is set up when
 * this bean is created, which is after Spring Boot has initialised logging: Boot resets the logger context then, which
 * detaches every appender and makes every logger additive again. Any later reset (Logback's {@code scan} reloading its
 * configuration, another application in the same JVM initialising logging) does the same, so it is set up again as
 * this listener hears of the reset. A logging configuration that already made the Kafka clients' logger non-additive
 * (to send their lines somewhere of its own) is left as it is. On shutdown it reports what it held back and leaves.
 */
final class RepeatedKafkaLinesInstaller implements LoggerContextListener, DisposableBean {

    private final LoggerContext context;
    private final RepeatedKafkaLinesFilter filter;
    private final KafkaClientLinesAppender appender;
    private final ScheduledExecutorService sweeper;

    RepeatedKafkaLinesInstaller(LoggerContext context, RepeatedKafkaLinesFilter filter) {
        this.context = context;
        this.filter = filter;
        this.appender = new KafkaClientLinesAppender(context, filter);
        filter.start();
        install();
        context.addListener(this);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "kafka-log-repeats");
            thread.setDaemon(true);
            return thread;
        });
        long window = filter.window().toMillis();
        sweeper.scheduleWithFixedDelay(filter::sweep, window, window, TimeUnit.MILLISECONDS);
    }

    /** Whether Kafka's client lines go through the filter now. */
    boolean installed() {
        return clients().getAppender(appender.getName()) == appender;
    }

    private void install() {
        Logger clients = clients();
        if (!clients.isAdditive() || installed()) {
            return;
        }
        appender.start();
        clients.addAppender(appender);
        clients.setAdditive(false);
    }

    private Logger clients() {
        return context.getLogger(RepeatedKafkaLinesFilter.KAFKA_CLIENTS);
    }

    @Override
    public boolean isResetResistant() {
        return true;
    }

    @Override
    public void onReset(LoggerContext resetContext) {
        // A reset has just detached and stopped every appender and made every logger additive again.
        install();
    }

    @Override
    public void onStart(LoggerContext startedContext) {}

    @Override
    public void onStop(LoggerContext stoppedContext) {}

    @Override
    public void onLevelChange(Logger logger, Level level) {}

    @Override
    public void destroy() {
        context.removeListener(this);
        sweeper.shutdownNow();
        if (installed()) {
            Logger clients = clients();
            clients.detachAppender(appender);
            clients.setAdditive(true);
        }
        appender.stop();
        filter.stop();
        filter.endAll();
    }
}
