package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.erpchat.message.CommandProducer.origin;
import static org.erpchat.message.CommandProducer.privateText;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.erpchat.events.MessageCreated;
import org.erpchat.events.MessageRejected;
import org.erpchat.events.RejectReason;
import org.erpchat.events.SendOrigin;
import org.erpchat.events.Topics;
import org.erpchat.testsupport.KafkaEventCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * One sender's failing commands never hold up the other senders whose commands share its partition of
 * {@code chat.message-commands}: a deterministic failure is answered at once, a transient one parks the sender's
 * commands (in order) while everyone else's go on.
 */
class CommandIsolationTest extends MessageServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int PARTITION = 0;
    private static final int OTHERS = 10;

    @Autowired
    private KafkaListenerEndpointRegistry listeners;

    @Autowired
    private MeterRegistry meters;

    private CommandProducer commands;

    @BeforeEach
    void createProducer() {
        commands = new CommandProducer(infrastructure);
    }

    @AfterEach
    void closeProducer() {
        commands.close();
    }

    @Test
    void floodOfPoisonCommandsIsAnsweredAtOnceWhileOthersOnThePartitionAreStored() {
        long poisoner = knownUser();
        long target = knownUser();
        List<long[]> pairs = pairs(OTHERS);
        Set<Long> others = pairs.stream().map(pair -> pair[0]).collect(Collectors.toSet());
        SendOrigin origin = origin();
        int rounds = 5;
        try (LogCapture logs = new LogCapture();
                KafkaEventCollector events = KafkaEventCollector.fromNow(infrastructure, Topics.MESSAGE_EVENTS)) {
            for (int round = 0; round < rounds; round++) {
                // Passes the service's validation today, fails in PostgreSQL ("invalid byte sequence ... 0x00"),
                // every time.
                commands.publish(
                        PARTITION,
                        privateText(
                                poisoner, target, "nul\u0000byte " + round, "poison-" + round, origin, Instant.now()));
                for (long[] pair : pairs) {
                    commands.publish(
                            PARTITION,
                            privateText(pair[0], pair[1], "hello " + round, "ok-" + round, origin, Instant.now()));
                }
            }
            commands.flush();

            List<MessageCreated> created = events.awaitEvents(
                    MessageCreated.class,
                    e -> others.contains(e.senderId()) && origin.equals(e.origin()),
                    OTHERS * rounds,
                    WAIT);
            assertThat(created).hasSize(OTHERS * rounds);
            List<MessageRejected> rejected =
                    events.awaitEvents(MessageRejected.class, e -> e.senderId() == poisoner, rounds, WAIT);
            assertThat(rejected)
                    .extracting(MessageRejected::clientMsgId)
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, rounds)
                            .mapToObj(round -> "poison-" + round)
                            .toList());
            assertThat(rejected).allSatisfy(rejection -> {
                assertThat(rejection.reason()).isEqualTo(RejectReason.INVALID_MESSAGE);
                assertThat(rejection.detail()).isNotBlank().doesNotContain("\u0000");
                assertThat(rejection.origin()).isEqualTo(origin);
            });
            assertThat(events.events(MessageCreated.class, e -> e.senderId() == poisoner))
                    .isEmpty();

            assertThat(storedBy(poisoner)).isZero();
            List<ILoggingEvent> errors = logs.atLeast(Level.ERROR);
            assertThat(errors).extracting(ILoggingEvent::getFormattedMessage).isEmpty();
        }
    }

    @Test
    void commandsOfManySendersOnOnePartitionAreStoredAtOnceEachSendersInTheOrderSent() {
        // More senders than lanes, so several share a lane and every lane has work at once.
        List<long[]> pairs = pairs(24);
        int sends = 20;
        SendOrigin origin = origin();
        for (int i = 1; i <= sends; i++) {
            for (long[] pair : pairs) {
                commands.publish(
                        PARTITION, privateText(pair[0], pair[1], "m" + i, "ordered-" + i, origin, Instant.now()));
            }
        }
        commands.flush();

        Set<Long> senders = pairs.stream().map(pair -> pair[0]).collect(Collectors.toSet());
        await().atMost(WAIT)
                .until(() -> senders.stream().mapToLong(this::storedBy).sum() == (long) sends * pairs.size());
        for (long sender : senders) {
            List<String> inSeqOrder = jdbc.sql(
                            "SELECT client_msg_id FROM messages WHERE sender_id = :sender ORDER BY seq")
                    .param("sender", sender)
                    .query(String.class)
                    .list();
            assertThat(inSeqOrder)
                    .as("sender %d", sender)
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, sends)
                            .mapToObj(i -> "ordered-" + i)
                            .toList());
        }
    }

    @Test
    void aSenderBlockedOnALockIsParkedInOrderWhileOthersOnThePartitionAreStored() throws Exception {
        long blocked = knownUser();
        long peer = knownUser();
        Api.Response first = sendPrivate(blocked, peer, "before the lock", "blocked-0");
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        long conversation = first.longValue("conversation_id");
        List<long[]> pairs = pairs(5);
        Set<Long> others = pairs.stream().map(pair -> pair[0]).collect(Collectors.toSet());
        SendOrigin origin = origin();
        int sends = 5;

        try (KafkaEventCollector events = KafkaEventCollector.fromNow(infrastructure, Topics.MESSAGE_EVENTS);
                Connection locker = lockConversation(conversation)) {
            for (int i = 1; i <= sends; i++) {
                commands.publish(PARTITION, privateText(blocked, peer, "m" + i, "blocked-" + i, origin, Instant.now()));
                for (long[] pair : pairs) {
                    commands.publish(
                            PARTITION, privateText(pair[0], pair[1], "m" + i, "free-" + i, origin, Instant.now()));
                }
            }
            commands.flush();

            // Everyone else is stored while the lock is held...
            events.awaitEvents(
                    MessageCreated.class,
                    e -> others.contains(e.senderId()) && origin.equals(e.origin()),
                    pairs.size() * sends,
                    WAIT);
            assertThat(storedBy(blocked)).isEqualTo(1);
            locker.rollback();

            // ...and once it is released, the blocked sender's commands follow, in the order they were sent.
            List<MessageCreated> released = events.awaitEvents(
                    MessageCreated.class, e -> e.senderId() == blocked && origin.equals(e.origin()), sends, WAIT);
            assertThat(released).extracting(MessageCreated::clientMsgId).doesNotHaveDuplicates();
        }
        List<String> inSeqOrder = jdbc.sql(
                        "SELECT client_msg_id FROM messages WHERE conversation_id = :id ORDER BY seq")
                .param("id", conversation)
                .query(String.class)
                .list();
        assertThat(inSeqOrder)
                .containsExactlyElementsOf(IntStream.rangeClosed(0, sends)
                        .mapToObj(i -> "blocked-" + i)
                        .toList());
        List<Long> seqs = jdbc.sql("SELECT seq FROM messages WHERE conversation_id = :id ORDER BY seq")
                .param("id", conversation)
                .query(Long.class)
                .list();
        assertThat(seqs)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, sends + 1)
                        .mapToObj(Long::valueOf)
                        .toList());
    }

    @Test
    void parkedCommandsAreNotCommittedSoARestartedConsumerStoresThem() throws Exception {
        long blocked = knownUser();
        long peer = knownUser();
        Api.Response first = sendPrivate(blocked, peer, "before the lock", "restart-0");
        long conversation = first.longValue("conversation_id");
        long other = knownUser();
        SendOrigin origin = origin();
        int sends = 3;
        MessageListenerContainer container = listeners.getListenerContainer("message-commands");
        try (KafkaEventCollector events = KafkaEventCollector.fromNow(infrastructure, Topics.MESSAGE_EVENTS);
                Connection locker = lockConversation(conversation)) {
            for (int i = 1; i <= sends; i++) {
                commands.publish(PARTITION, privateText(blocked, peer, "m" + i, "restart-" + i, origin, Instant.now()));
            }
            // Stored after the parked ones, so acknowledged; the committed offset must still not pass them.
            commands.publish(PARTITION, privateText(other, peer, "after them", "other-1", origin, Instant.now()));
            commands.flush();
            events.awaitEvent(MessageCreated.class, e -> e.senderId() == other && origin.equals(e.origin()));
            await().atMost(WAIT).until(() -> parked() >= sends);

            // A crash, as far as Kafka can tell: the consumer leaves with the commands still parked.
            container.stop();
            assertThat(parked()).isZero();
            assertThat(storedBy(blocked)).isEqualTo(1);
            locker.rollback();
        } finally {
            container.start();
        }
        // Redelivered from the committed offset and stored, in order.
        await().atMost(WAIT).until(() -> storedBy(blocked) == 1 + sends);
        assertThat(jdbc.sql("SELECT client_msg_id FROM messages WHERE conversation_id = :id ORDER BY seq")
                        .param("id", conversation)
                        .query(String.class)
                        .list())
                .containsExactlyElementsOf(IntStream.rangeClosed(0, sends)
                        .mapToObj(i -> "restart-" + i)
                        .toList());
    }

    @Test
    void tooManyParkedCommandsPauseConsumptionUntilTheyDrain() throws Exception {
        // Test setting: max-parked 20.
        long blocked = knownUser();
        long peer = knownUser();
        Api.Response first = sendPrivate(blocked, peer, "before the lock", "many-0");
        long conversation = first.longValue("conversation_id");
        SendOrigin origin = origin();
        int sends = 30;
        MessageListenerContainer container = listeners.getListenerContainer("message-commands");
        try (Connection locker = lockConversation(conversation)) {
            for (int i = 1; i <= sends; i++) {
                commands.publish(PARTITION, privateText(blocked, peer, "m" + i, "many-" + i, origin, Instant.now()));
            }
            commands.flush();
            await().atMost(WAIT).until(container::isPauseRequested);
            assertThat(parked()).isGreaterThan(20);
            locker.rollback();
        }
        await().atMost(WAIT).until(() -> !container.isPauseRequested() && parked() == 0);
        await().atMost(WAIT).until(() -> storedBy(blocked) == 1 + sends);
        assertThat(jdbc.sql("SELECT client_msg_id FROM messages WHERE conversation_id = :id ORDER BY seq")
                        .param("id", conversation)
                        .query(String.class)
                        .list())
                .containsExactlyElementsOf(IntStream.rangeClosed(0, sends)
                        .mapToObj(i -> "many-" + i)
                        .toList());
    }

    /** A transaction of the test's own holding the conversation's row lock, which every send to it needs. */
    private Connection lockConversation(long conversation) throws SQLException {
        Connection locker = DriverManager.getConnection(
                infrastructure.jdbcUrl(), infrastructure.jdbcUsername(), infrastructure.jdbcPassword());
        locker.setAutoCommit(false);
        try (PreparedStatement lock = locker.prepareStatement("SELECT id FROM conversations WHERE id = ? FOR UPDATE")) {
            lock.setLong(1, conversation);
            lock.executeQuery().close();
        }
        return locker;
    }

    private double parked() {
        return meters.get("chat.commands.parked").gauge().value();
    }

    /** {@code count} fresh known users, each with a fresh known receiver. */
    private List<long[]> pairs(int count) {
        List<long[]> pairs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pairs.add(new long[] {knownUser(), knownUser()});
        }
        return pairs;
    }

    private long storedBy(long sender) {
        return jdbc.sql("SELECT count(*) FROM messages WHERE sender_id = :sender")
                .param("sender", sender)
                .query(Long.class)
                .single();
    }
}
