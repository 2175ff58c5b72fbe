package org.erpchat.support.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.read.ListAppender;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * The filter is in Logback once the application has started: Spring Boot initialises logging first (resetting the
 * logger context, which detaches every appender), then the auto-configuration puts it in front of the appenders of
 * Kafka's client loggers. Applications started here see the classpath without a logback file (test-support brings a
 * logback-test.xml), so Boot sets up logging its default way.
 */
class ChatLoggingAutoConfigurationTest {

    private static final String UNREACHABLE =
            "Connection to node -1 (/127.0.0.1:19092) could not be established. Node may not be available.";

    private final LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ChatLoggingAutoConfiguration.class)
    static class MinimalApplication {}

    @AfterAll
    static void restoreTheTestLogging() throws JoranException {
        // Boot's cleanup leaves its (here: structured) console behind; later tests log as test-support configures.
        LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
        logback.reset();
        new ContextInitializer(logback).autoConfig();
    }

    @Test
    void afterBootInitialisedLoggingTheFilterCollapsesKafkasRepeatsUntilTheApplicationStops() {
        try (ConfigurableApplicationContext application = start()) {
            assertThat(filters()).hasSize(1);
            assertThat(linesAppendedOf(10)).hasSize(1);
            // Nothing Logback would consult on every logging call of every logger.
            assertThat(logback.getTurboFilterList()).isEmpty();
        }
        assertThat(filters()).isEmpty();
        assertThat(logback.getLogger(RepeatedKafkaLinesFilter.KAFKA_CLIENTS).isAdditive())
                .isTrue();
        assertThat(linesAppendedOf(10)).hasSize(10);
    }

    @Test
    void withStructuredLoggingToo() {
        try (ConfigurableApplicationContext application = start("--logging.structured.format.console=ecs")) {
            ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>)
                    logback.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("CONSOLE");
            assertThat(console.getEncoder()).isInstanceOf(StructuredLogEncoder.class);
            assertThat(filters()).hasSize(1);
            assertThat(linesAppendedOf(10)).hasSize(1);
        }
    }

    @Test
    void itCanBeSwitchedOff() {
        try (ConfigurableApplicationContext application =
                start("--chat.logging.repeated-kafka-warnings.enabled=false")) {
            assertThat(filters()).isEmpty();
            assertThat(linesAppendedOf(10)).hasSize(10);
        }
    }

    @Test
    void aWindowUnderASecondIsRefused() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ChatLoggingAutoConfiguration.class))
                .withPropertyValues("chat.logging.repeated-kafka-warnings.window=500ms")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("chat.logging.repeated-kafka-warnings.window"));
    }

    @Test
    void aLaterResetOfLogbackKeepsItAndStoppingReportsWhatItHeldBackAndRemovesIt() {
        LoggerContext context = new LoggerContext();
        RepeatedKafkaLinesFilter filter = new RepeatedKafkaLinesFilter(context, Duration.ofMinutes(1));
        RepeatedKafkaLinesInstaller installer = new RepeatedKafkaLinesInstaller(context, filter);

        context.reset(); // what Logback's scan does when its configuration file changes
        assertThat(installer.installed()).isTrue();
        assertThat(context.getLogger(RepeatedKafkaLinesFilter.KAFKA_CLIENTS).isAdditive())
                .isFalse();
        assertThat(filter.isStarted()).isTrue();

        ListAppender<ILoggingEvent> appended = new ListAppender<>();
        appended.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appended);
        for (int i = 0; i < 3; i++) {
            context.getLogger("org.apache.kafka.clients.NetworkClient").warn(UNREACHABLE);
        }
        installer.destroy();

        assertThat(installer.installed()).isFalse();
        assertThat(appended.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly(
                        UNREACHABLE,
                        "2 more like this within 1 s, then they stopped, from org.apache.kafka.clients.NetworkClient: "
                                + UNREACHABLE);
    }

    @Test
    void countsThatStoppedAreReportedByTheSweeperWithoutAnotherLine() {
        LoggerContext context = new LoggerContext();
        ListAppender<ILoggingEvent> appended = new ListAppender<>();
        appended.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appended);
        // Shorter than the property allows, so that the sweeper's first rounds come within the test.
        RepeatedKafkaLinesInstaller installer =
                new RepeatedKafkaLinesInstaller(context, new RepeatedKafkaLinesFilter(context, Duration.ofMillis(200)));
        try {
            for (int i = 0; i < 3; i++) {
                context.getLogger("org.apache.kafka.clients.NetworkClient").warn(UNREACHABLE);
            }
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(List.copyOf(appended.list))
                            .extracting(ILoggingEvent::getFormattedMessage)
                            .containsExactly(
                                    UNREACHABLE,
                                    "2 more like this within 1 s, then they stopped, from"
                                            + " org.apache.kafka.clients.NetworkClient: " + UNREACHABLE));
        } finally {
            installer.destroy();
        }
    }

    @Test
    void aKafkaClientsLoggerThatTheLoggingConfigurationMadeNonAdditiveIsLeftAsItIs() {
        LoggerContext context = new LoggerContext();
        Logger clients = context.getLogger(RepeatedKafkaLinesFilter.KAFKA_CLIENTS);
        clients.setAdditive(false);
        ListAppender<ILoggingEvent> own = new ListAppender<>();
        own.setName("kafka-file");
        own.start();
        clients.addAppender(own);

        RepeatedKafkaLinesInstaller installer =
                new RepeatedKafkaLinesInstaller(context, new RepeatedKafkaLinesFilter(context, Duration.ofMinutes(1)));
        try {
            for (int i = 0; i < 3; i++) {
                context.getLogger("org.apache.kafka.clients.NetworkClient").warn(UNREACHABLE);
            }
            assertThat(installer.installed()).isFalse();
            assertThat(own.list).hasSize(3);
        } finally {
            installer.destroy();
        }
        assertThat(clients.isAdditive()).isFalse();
        assertThat(clients.getAppender(own.getName())).isSameAs(own);
    }

    private ConfigurableApplicationContext start(String... args) {
        return new SpringApplicationBuilder(MinimalApplication.class)
                .resourceLoader(new DefaultResourceLoader(new WithoutLogbackFiles()))
                .web(WebApplicationType.NONE)
                .run(args);
    }

    /** The filters in front of the appenders of Kafka's client loggers. */
    private List<RepeatedKafkaLinesFilter> filters() {
        Appender<ILoggingEvent> appender =
                logback.getLogger(RepeatedKafkaLinesFilter.KAFKA_CLIENTS).getAppender("repeated-kafka-lines");
        return appender == null
                ? List.of()
                : appender.getCopyOfAttachedFiltersList().stream()
                        .filter(RepeatedKafkaLinesFilter.class::isInstance)
                        .map(RepeatedKafkaLinesFilter.class::cast)
                        .toList();
    }

    /** What reaches the application's appenders (the root logger's) when ten clients report an unreachable broker. */
    private List<ILoggingEvent> linesAppendedOf(int clients) {
        Logger networkClient = logback.getLogger("org.apache.kafka.clients.NetworkClient");
        Logger root = logback.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appended = new ListAppender<>();
        appended.start();
        root.addAppender(appended);
        try {
            for (int i = 0; i < clients; i++) {
                networkClient.warn("[Producer clientId=producer-" + i + "] " + UNREACHABLE);
            }
            return List.copyOf(appended.list);
        } finally {
            root.detachAppender(appended);
        }
    }

    /** The test classpath as an application without logback.xml or logback-test.xml sees it. */
    private static final class WithoutLogbackFiles extends ClassLoader {

        WithoutLogbackFiles() {
            super(ChatLoggingAutoConfigurationTest.class.getClassLoader());
        }

        @Override
        public URL getResource(String name) {
            return name.startsWith("logback") ? null : super.getResource(name);
        }
    }
}
