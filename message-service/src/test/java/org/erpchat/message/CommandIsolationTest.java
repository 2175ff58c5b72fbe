package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.erpchat.message.CommandProducer.origin;
import static org.erpchat.message.CommandProducer.privateText;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
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

/**
 * One sender's failing commands never hold up the other senders whose commands share its partition of
 * {@code chat.message-commands}: a deterministic failure is answered at once, a transient one parks the sender's
 * commands (in order) while everyone else's go on.
 */
class CommandIsolationTest extends MessageServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int PARTITION = 0;
    private static final int OTHERS = 10;

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
                Connection locker = DriverManager.getConnection(
                        infrastructure.jdbcUrl(), infrastructure.jdbcUsername(), infrastructure.jdbcPassword())) {
            // A transaction of the test's own holds the conversation's row lock, which every send to it needs.
            locker.setAutoCommit(false);
            try (PreparedStatement lock =
                    locker.prepareStatement("SELECT id FROM conversations WHERE id = ? FOR UPDATE")) {
                lock.setLong(1, conversation);
                lock.executeQuery().close();
            }
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
