package org.erpchat.support.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.erpchat.testsupport.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kafka's clients' repeated lines, as Logback's appenders see them with the filter in place. */
class RepeatedKafkaLinesFilterTest {

    private static final String UNREACHABLE =
            "Connection to node 1 (localhost/127.0.0.1:19092) could not be established. Node may not be available.";
    private static final String[] CLIENTS = {
        "[Consumer clientId=consumer-message-service-1, groupId=message-service] ",
        "[Producer clientId=message-service-outbox-1] ",
        "[Producer clientId=message-service-outbox-2] ",
        "[AdminClient clientId=health-check] "
    };

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
    private final LoggerContext context = new LoggerContext();
    private final ListAppender<ILoggingEvent> appended = new ListAppender<>();
    private final Logger networkClient = context.getLogger("org.apache.kafka.clients.NetworkClient");
    private final Logger sender = context.getLogger("org.apache.kafka.clients.producer.internals.Sender");
    private RepeatedKafkaLinesFilter filter;

    @BeforeEach
    void logThroughTheFilter() {
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
        appended.setContext(context);
        appended.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appended);
        filterWithAtMost(RepeatedKafkaLinesFilter.MAX_KINDS);
    }

    /** As {@link RepeatedKafkaLinesInstaller} sets it up, without its sweeper thread: the tests sweep themselves. */
    private void filterWithAtMost(int kinds) {
        Logger clients = context.getLogger(RepeatedKafkaLinesFilter.KAFKA_CLIENTS);
        clients.detachAndStopAllAppenders();
        filter = new RepeatedKafkaLinesFilter(context, Duration.ofMinutes(1), kinds, clock);
        filter.start();
        KafkaClientLinesAppender appender = new KafkaClientLinesAppender(context, filter);
        appender.start();
        clients.addAppender(appender);
        clients.setAdditive(false);
    }

    @Test
    void everyClientsReconnectWarningForAMinuteIsOneLineThenOneSummary() {
        for (int second = 0; second < 60; second++) {
            for (String client : CLIENTS) {
                networkClient.warn(client + UNREACHABLE);
            }
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(appended.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly(CLIENTS[0] + UNREACHABLE);

        networkClient.warn(CLIENTS[1] + UNREACHABLE);

        assertThat(appended.list).hasSize(2);
        ILoggingEvent summary = appended.list.get(1);
        assertThat(summary.getLoggerName()).isEqualTo(RepeatedKafkaLinesFilter.class.getName());
        assertThat(summary.getLevel()).isEqualTo(Level.WARN);
        assertThat(summary.getFormattedMessage())
                .isEqualTo("240 more like this in the last 60 s from org.apache.kafka.clients.NetworkClient: "
                        + UNREACHABLE);
    }

    @Test
    void whenTheRepeatsStopTheRestIsReportedAndTheNextLineIsLoggedAgain() {
        networkClient.warn(CLIENTS[0] + UNREACHABLE);
        clock.advance(Duration.ofSeconds(10));
        networkClient.warn(CLIENTS[1] + UNREACHABLE);
        networkClient.warn(CLIENTS[2] + UNREACHABLE);
        clock.advance(Duration.ofSeconds(70));
        filter.sweep(); // the installer's sweeper does this once per window

        assertThat(appended.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly(
                        CLIENTS[0] + UNREACHABLE,
                        "2 more like this within 10 s, then they stopped, from org.apache.kafka.clients.NetworkClient: "
                                + UNREACHABLE);

        networkClient.warn(CLIENTS[3] + UNREACHABLE);
        assertThat(appended.list)
                .last()
                .extracting(ILoggingEvent::getFormattedMessage)
                .isEqualTo(CLIENTS[3] + UNREACHABLE);
    }

    @Test
    void aLineSeenAgainAfterAQuietWindowEndsTheCountWithoutWaitingForTheSweep() {
        networkClient.warn(CLIENTS[0] + UNREACHABLE);
        clock.advance(Duration.ofSeconds(59));
        networkClient.warn(CLIENTS[1] + UNREACHABLE);
        clock.advance(Duration.ofSeconds(1));
        filter.sweep(); // while the lines still come
        clock.advance(Duration.ofSeconds(59));
        networkClient.warn(CLIENTS[2] + UNREACHABLE);

        assertThat(appended.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly(
                        CLIENTS[0] + UNREACHABLE,
                        "1 more like this within 59 s, then they stopped, from org.apache.kafka.clients.NetworkClient: "
                                + UNREACHABLE,
                        CLIENTS[2] + UNREACHABLE);
    }

    @Test
    void theLinesLetThroughReachEveryAppenderAboveTheClientsLoggerAndOnlyOnce() {
        ListAppender<ILoggingEvent> kafkas = new ListAppender<>();
        kafkas.start();
        context.getLogger("org.apache.kafka").addAppender(kafkas);
        ListAppender<ILoggingEvent> networkClients = new ListAppender<>();
        networkClients.start();
        networkClient.addAppender(networkClients);

        for (String client : CLIENTS) {
            networkClient.warn(client + UNREACHABLE);
        }

        assertThat(kafkas.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly(CLIENTS[0] + UNREACHABLE);
        assertThat(appended.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly(CLIENTS[0] + UNREACHABLE);
        // An appender of the line's own logger is below the filter, and sees every line, as Logback defines it.
        assertThat(networkClients.list).hasSize(CLIENTS.length);
    }

    @Test
    void differentLinesAreCountedApart() {
        String disconnected = "Bootstrap broker 127.0.0.1:19092 (id: -1 rack: null isFenced: false) disconnected";
        for (String client : CLIENTS) {
            networkClient.warn(client + UNREACHABLE);
            networkClient.warn(client + disconnected);
            sender.warn(client + UNREACHABLE);
        }

        assertThat(appended.list)
                .extracting(ILoggingEvent::getLoggerName, ILoggingEvent::getFormattedMessage)
                .containsExactly(
                        tuple(networkClient.getName(), CLIENTS[0] + UNREACHABLE),
                        tuple(networkClient.getName(), CLIENTS[0] + disconnected),
                        tuple(sender.getName(), CLIENTS[0] + UNREACHABLE));
    }

    @Test
    void errorsOtherLoggersAndLinesBelowTheLoggersLevelAreLeftAlone() {
        Logger ours = context.getLogger("org.erpchat.support.outbox.OutboxRelay");
        Logger kafkaCommon = context.getLogger("org.apache.kafka.common.network.Selector");
        Logger lookalike = context.getLogger("org.apache.kafka.clientsx.Other");
        for (int i = 0; i < 3; i++) {
            networkClient.error(CLIENTS[0] + UNREACHABLE);
            ours.warn(UNREACHABLE);
            kafkaCommon.warn(UNREACHABLE);
            lookalike.warn(UNREACHABLE);
            networkClient.debug(CLIENTS[0] + UNREACHABLE);
        }
        assertThat(appended.list)
                .hasSize(12)
                .allSatisfy(line -> assertThat(line.getLevel()).isIn(Level.ERROR, Level.WARN));

        // A line the level drops anyway is not counted: once it is on, the first one shows.
        sender.setLevel(Level.WARN);
        sender.info(CLIENTS[0] + "Resetting the last seen epoch");
        sender.setLevel(Level.INFO);
        sender.info(CLIENTS[1] + "Resetting the last seen epoch");
        assertThat(appended.list)
                .last()
                .extracting(ILoggingEvent::getFormattedMessage)
                .isEqualTo(CLIENTS[1] + "Resetting the last seen epoch");
    }

    @Test
    void infoLinesAreCollapsedAndSummarisedAtInfo() {
        for (int i = 0; i < 5; i++) {
            sender.info(CLIENTS[i % CLIENTS.length] + "Node -1 disconnected.");
            clock.advance(Duration.ofSeconds(10));
        }
        clock.advance(Duration.ofSeconds(10));
        sender.info(CLIENTS[0] + "Node -1 disconnected.");

        assertThat(appended.list).hasSize(2);
        assertThat(appended.list.get(1).getLevel()).isEqualTo(Level.INFO);
        assertThat(appended.list.get(1).getFormattedMessage()).startsWith("5 more like this in the last 60 s");
    }

    @Test
    void beyondTheCapOfKindsLinesPassAsTheyAre() {
        filterWithAtMost(2);
        List<String> kinds = List.of("first", "second", "third");
        for (int i = 0; i < 3; i++) {
            for (String kind : kinds) {
                networkClient.warn(CLIENTS[i] + kind);
            }
        }

        assertThat(appended.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly(
                        CLIENTS[0] + "first",
                        CLIENTS[0] + "second",
                        CLIENTS[0] + "third",
                        CLIENTS[1] + "third",
                        CLIENTS[2] + "third");
    }

    @Test
    void clientsLoggingAtOnceLetOneLineThroughAndLoseNoCount() throws Exception {
        int threads = 8;
        int linesEach = 1_000;
        ExecutorService clients = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String client = "[Producer clientId=producer-" + t + "] ";
                done.add(clients.submit(() -> {
                    for (int i = 0; i < linesEach; i++) {
                        networkClient.warn(client + UNREACHABLE);
                    }
                }));
            }
            for (Future<?> each : done) {
                each.get(30, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(appended.list).hasSize(1);

        // All but the first held back, plus one more half-way and the one a window later that reports them.
        clock.advance(Duration.ofSeconds(30));
        networkClient.warn(CLIENTS[0] + UNREACHABLE);
        clock.advance(Duration.ofSeconds(30));
        networkClient.warn(CLIENTS[0] + UNREACHABLE);
        assertThat(appended.list)
                .last()
                .extracting(ILoggingEvent::getFormattedMessage)
                .asString()
                .startsWith((threads * linesEach + 1) + " more like this in the last 60 s");
    }

    @Test
    void onlyALeadingBracketedPrefixIsDropped() {
        assertThat(LineKind.withoutClientPrefix("[Consumer clientId=a, groupId=b] Node 1 disconnected"))
                .isEqualTo("Node 1 disconnected");
        assertThat(LineKind.withoutClientPrefix("Node [1] disconnected")).isEqualTo("Node [1] disconnected");
        assertThat(LineKind.withoutClientPrefix("[unclosed prefix")).isEqualTo("[unclosed prefix");
    }
}
