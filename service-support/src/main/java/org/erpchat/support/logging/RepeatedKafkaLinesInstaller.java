package org.erpchat.support.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import org.springframework.beans.factory.DisposableBean;

/**
 * Puts a {@link RepeatedKafkaLinesFilter} into Logback while the application runs. It is added when this bean is
 * created, which is after Spring Boot has initialised logging: Boot resets the logger context then, which removes the
 * turbo filters added before. Any later reset (Logback's {@code scan} reloading its configuration, another application
 * in the same JVM initialising logging) removes it too, so it is added again as this listener hears of the reset. On
 * shutdown it reports what it held back and leaves.
 */
final class RepeatedKafkaLinesInstaller implements LoggerContextListener, DisposableBean {

    private final LoggerContext context;
    private final RepeatedKafkaLinesFilter filter;

    RepeatedKafkaLinesInstaller(LoggerContext context, RepeatedKafkaLinesFilter filter) {
        this.context = context;
        this.filter = filter;
        filter.start();
        context.addTurboFilter(filter);
        context.addListener(this);
    }

    @Override
    public boolean isResetResistant() {
        return true;
    }

    @Override
    public void onReset(LoggerContext resetContext) {
        // A reset stops and drops every turbo filter just before it tells its listeners.
        if (!resetContext.getTurboFilterList().contains(filter)) {
            filter.start();
            resetContext.addTurboFilter(filter);
        }
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
        context.getTurboFilterList().remove(filter);
        filter.stop();
        filter.endAll();
    }
}
