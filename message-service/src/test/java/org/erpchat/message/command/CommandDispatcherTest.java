package org.erpchat.message.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.erpchat.events.MessageType;
import org.erpchat.events.RejectReason;
import org.erpchat.events.SendMessageCommand;
import org.erpchat.events.SendOrigin;
import org.erpchat.events.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

/**
 * {@link CommandDispatcher} when handling a command throws an {@link Error} (a bug: a stack overflow, a failed
 * assertion, a class that did not load): the command is answered {@code internal_error} like any other unexpected
 * failure, tried once, its lane goes on with the commands behind it, and its partition's offsets move past it. The
 * handler is scripted here: the service's own cannot be made to throw an Error without changing the application context
 * that every integration test shares.
 */
class CommandDispatcherTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final SendOrigin ORIGIN = new SendOrigin("gateway-test", "session-1");
    private static final Rejection INTERNAL_ERROR =
            new Rejection("broken", RejectReason.INTERNAL_ERROR, "the message could not be processed");

    private final ScriptedHandler handler = new ScriptedHandler();

    /** The highest offset acknowledged so far: everything up to it may be committed. */
    private final AtomicLong acknowledged = new AtomicLong(-1);

    private CommandDispatcher dispatcher;
    private long nextOffset;

    @AfterEach
    void stop() {
        if (dispatcher != null) {
            dispatcher.destroy();
        }
    }

    static Stream<Error> errors() {
        return Stream.of(
                new StackOverflowError(),
                new AssertionError("a broken invariant"),
                new NoClassDefFoundError("Could not initialize class org.erpchat.Broken"),
                // Deterministic even with a transient cause: the class stays unusable, a retry fails the same way.
                new ExceptionInInitializerError(new SQLTransientConnectionException("the database was down")));
    }

    @ParameterizedTest
    @MethodSource("errors")
    void aCommandWhoseHandlingThrowsAnErrorIsAnsweredAndItsPartitionMovesOn(Error error) {
        start(1); // batches of one: the single path
        handler.failing.put("broken", error);

        dispatch(1, "broken");
        dispatch(1, "after"); // the same sender: its lane, behind the broken one
        dispatch(2, "other");

        await().atMost(WAIT).until(() -> acknowledged.get() == 2);
        assertThat(handler.rejected).containsExactly(INTERNAL_ERROR);
        assertThat(handler.stored).containsExactly("after", "other");
        assertThat(handler.tried).containsExactly("broken", "after", "other"); // not retried
    }

    @Test
    void anErrorStoringABatchSendsItsCommandsOneByOne() {
        start(64);
        CountDownLatch release = handler.holdUp("gate");
        handler.togetherFailure = new AssertionError("a broken invariant");
        dispatch(1, "gate");
        await().atMost(WAIT).until(() -> handler.tried.contains("gate"));
        // While the lane is busy, four other senders' commands queue on it: its next batch.
        for (long sender = 2; sender <= 5; sender++) {
            dispatch(sender, "queued-" + sender);
        }
        release.countDown();

        await().atMost(WAIT).until(() -> acknowledged.get() == 4);
        assertThat(handler.triedTogether).containsExactly(List.of("queued-2", "queued-3", "queued-4", "queued-5"));
        assertThat(handler.stored).containsExactly("gate", "queued-2", "queued-3", "queued-4", "queued-5");
        assertThat(handler.rejected).isEmpty();
    }

    @Test
    void anErrorDecidingWhetherACommandCanJoinABatchSendsItOneByOne() {
        start(64);
        CountDownLatch release = handler.holdUp("gate");
        Error bug = new NoClassDefFoundError("Could not initialize class org.erpchat.Broken");
        handler.cannotTell.put("broken", bug);
        handler.failing.put("broken", bug);
        dispatch(1, "gate");
        await().atMost(WAIT).until(() -> handler.tried.contains("gate"));
        dispatch(2, "queued-2");
        dispatch(3, "broken");
        dispatch(4, "queued-4");
        release.countDown();

        await().atMost(WAIT).until(() -> acknowledged.get() == 3);
        // The others are still stored together; the broken one is answered on its own.
        assertThat(handler.triedTogether).containsExactly(List.of("queued-2", "queued-4"));
        assertThat(handler.stored).containsExactly("gate", "queued-2", "queued-4");
        assertThat(handler.rejected).containsExactly(INTERNAL_ERROR);
    }

    @Test
    void aCommandWhoseAnswerThrowsAnErrorTooIsLeftUnansweredAndItsPartitionMovesOn() {
        start(1);
        handler.failing.put("broken", new StackOverflowError());
        handler.answerFailure = new StackOverflowError();

        dispatch(1, "broken");
        dispatch(1, "after");

        await().atMost(WAIT).until(() -> acknowledged.get() == 1);
        assertThat(handler.stored).containsExactly("after");
        assertThat(handler.rejected).isEmpty();
    }

    /** One lane, so every command queues behind the ones dispatched before it; offsets acknowledged at once. */
    private void start(int maxBatch) {
        CommandProperties properties = new CommandProperties(
                Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofSeconds(5), 1000, 1, maxBatch, Duration.ZERO);
        dispatcher = new CommandDispatcher(
                handler,
                properties,
                new DefaultListableBeanFactory().getBeanProvider(KafkaListenerEndpointRegistry.class),
                new SimpleMeterRegistry());
    }

    /** As the consumer thread does: the next record of partition 0. */
    private void dispatch(long sender, String clientMsgId) {
        long offset = nextOffset++;
        SendMessageCommand command = new SendMessageCommand(
                sender, 1_000 + sender, null, MessageType.TEXT, "hello", null, clientMsgId, ORIGIN, Instant.now());
        dispatcher.dispatch(
                new ConsumerRecord<>(Topics.MESSAGE_COMMANDS, 0, offset, command.partitionKey(), command),
                command,
                () -> acknowledged.accumulateAndGet(offset, Math::max));
    }

    private record Rejection(String clientMsgId, RejectReason reason, String detail) {}

    /** Stores, fails or holds up each command as the test says, by client message id, and records what it did. */
    private static final class ScriptedHandler extends SendCommandHandler {

        final Map<String, Error> failing = new ConcurrentHashMap<>();
        final Map<String, Error> cannotTell = new ConcurrentHashMap<>();
        final Map<String, CountDownLatch> heldUp = new ConcurrentHashMap<>();
        volatile Error togetherFailure;
        volatile Error answerFailure;

        final List<String> tried = new CopyOnWriteArrayList<>();
        final List<List<String>> triedTogether = new CopyOnWriteArrayList<>();
        final List<String> stored = new CopyOnWriteArrayList<>();
        final List<Rejection> rejected = new CopyOnWriteArrayList<>();

        ScriptedHandler() {
            super(null, null, null, null, null, Clock.systemUTC());
        }

        /** Handling {@code clientMsgId} waits until the returned latch is released. */
        CountDownLatch holdUp(String clientMsgId) {
            CountDownLatch latch = new CountDownLatch(1);
            heldUp.put(clientMsgId, latch);
            return latch;
        }

        @Override
        void handle(SendMessageCommand command) {
            String id = command.clientMsgId();
            tried.add(id);
            CountDownLatch latch = heldUp.get(id);
            if (latch != null) {
                awaitQuietly(latch);
            }
            Error error = failing.get(id);
            if (error != null) {
                throw error;
            }
            stored.add(id);
        }

        @Override
        boolean canJoin(SendMessageCommand command) {
            Error error = cannotTell.get(command.clientMsgId());
            if (error != null) {
                throw error;
            }
            return true;
        }

        @Override
        boolean handleTogether(List<SendMessageCommand> commands) {
            List<String> ids =
                    commands.stream().map(SendMessageCommand::clientMsgId).toList();
            triedTogether.add(ids);
            Error error = togetherFailure;
            if (error != null) {
                throw error;
            }
            stored.addAll(ids);
            return true;
        }

        @Override
        void reject(SendMessageCommand command, RejectReason reason, String detail, Duration retryAfter) {
            Error error = answerFailure;
            if (error != null) {
                throw error;
            }
            rejected.add(new Rejection(command.clientMsgId(), reason, detail));
        }

        private static void awaitQuietly(CountDownLatch latch) {
            try {
                latch.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
