package org.erpchat.message.command;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.erpchat.events.RejectReason;
import org.erpchat.events.SendMessageCommand;
import org.erpchat.message.message.SendBatches;
import org.erpchat.message.message.SenderLanes;
import org.erpchat.support.logging.FaultLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

/**
 * Runs send commands so that no sender holds up another (docs/message-service.md, "Commands").
 *
 * <ul>
 *   <li>The consumer thread only hands each command to its sender's lane ({@link SenderLanes}, {@code lanes} threads):
 *       a sender's commands are keyed by sender, so they are in order on one partition, and run in that order on one
 *       lane, while many senders' commands are stored at once and their commits share WAL flushes.
 *   <li>The commands that queued on a lane while it was busy are stored together, in one transaction with one commit
 *       ({@code SendBatches}), when none of them needs special care; otherwise, or when that fails, one by one as
 *       below.
 *   <li>A command that fails deterministically ({@link CommandFailure}) is answered with {@code MessageRejected} at
 *       once; its lane moves on. So is one whose handling throws an {@link Error} (a bug): every failure is caught
 *       here, whatever its type, so no command is left neither stored nor answered, which would hold its partition's
 *       offsets for good.
 *   <li>One that fails transiently is retried in place for at most {@code inline-retry}, then <em>parked</em>: it and
 *       every later command of the same sender on that partition wait in a queue that a background thread retries,
 *       in order, with a growing backoff, while the other senders' commands keep flowing.
 *   <li>While the database, or a command's conversation, is known to be failing ({@link RecentFailures}), new commands
 *       for it are parked without an attempt.
 *   <li>Offsets are committed only up to the oldest command not yet stored or answered ({@link PartitionOffsets}):
 *       a crash redelivers a parked command, and a redelivered stored one is a harmless idempotent repeat.
 *   <li>Beyond {@code max-parked} parked commands the database is failing for many senders: consumption pauses until
 *       half of them have drained, which bounds memory.
 *   <li>When a partition is revoked its parked commands are dropped (not committed, so its next owner gets them).
 * </ul>
 *
 * Spring Kafka's own tools do not fit: out-of-order commits ({@code asyncAcks}) pause the whole consumer until every
 * record of the previous poll is acknowledged, and {@code nack} or the {@code DefaultErrorHandler}'s retries seek the
 * partition back, which holds up everyone on it.
 */
@Component
class CommandDispatcher implements ConsumerAwareRebalanceListener, DisposableBean {

    static final String LISTENER_ID = "message-commands";

    private static final Logger log = LoggerFactory.getLogger(CommandDispatcher.class);
    private static final Duration LOG_INTERVAL = Duration.ofMinutes(1);
    private static final int RETRY_THREADS = 2;
    /** Commands waiting per lane before the consumer thread waits for room (and records stay in Kafka). */
    private static final int LANE_CAPACITY = 500;

    /** A command received from Kafka, not yet stored or answered. */
    private record Pending(
            SenderKey sender, SendMessageCommand command, PartitionOffsets offsets, long offset, Acknowledgment ack) {}

    /** Whose commands wait behind each other: a sender, on one partition (where all its commands are). */
    private record SenderKey(TopicPartition partition, long senderId) {}

    /** A sender's parked commands, oldest first. Exactly one retry task is scheduled or running for it. */
    private static final class Parked {
        private final SenderKey sender;
        private final Deque<Pending> commands = new ArrayDeque<>();
        private Duration backoff;
        private boolean dropped;

        private Parked(SenderKey sender, Duration backoff) {
            this.sender = sender;
            this.backoff = backoff;
        }
    }

    private final SendCommandHandler handler;
    private final CommandProperties properties;
    private final ObjectProvider<KafkaListenerEndpointRegistry> registry;
    private final Map<TopicPartition, PartitionOffsets> assigned = new ConcurrentHashMap<>();
    private final ScheduledExecutorService retries;
    private final RecentFailures recentFailures;
    private final SenderLanes<Pending> lanes;

    /** Guarded by {@code this}; {@link #parkedCount} counts their commands. */
    private final Map<SenderKey, Parked> parked = new HashMap<>();

    private final AtomicInteger parkedCount = new AtomicInteger();

    /** Guarded by {@code pauseLock}. */
    private boolean paused;

    private final Object pauseLock = new Object();

    private final FaultLog transientFaults;
    private final Map<CommandFailure, FaultLog> deterministicFaults = new EnumMap<>(CommandFailure.class);
    private final FaultLog unanswerable;
    private final FaultLog acknowledgeFaults;
    private final FaultLog retryFaults;
    private final Map<CommandFailure, Counter> failures = new EnumMap<>(CommandFailure.class);
    private final MeterRegistry meters;

    CommandDispatcher(
            SendCommandHandler handler,
            CommandProperties properties,
            ObjectProvider<KafkaListenerEndpointRegistry> registry,
            MeterRegistry meters) {
        this.handler = handler;
        this.properties = properties;
        this.registry = registry;
        this.meters = meters;
        this.recentFailures = new RecentFailures(properties.maxRetryBackoff());
        AtomicInteger threads = new AtomicInteger();
        this.retries = Executors.newScheduledThreadPool(RETRY_THREADS, runnable -> {
            Thread thread = new Thread(runnable, "command-retry-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.transientFaults = new FaultLog(log, "storing send commands", LOG_INTERVAL);
        deterministicFaults.put(
                CommandFailure.INVALID_DATA,
                new FaultLog(
                        log,
                        "storing send commands with data PostgreSQL refuses (each answered invalid_message)",
                        LOG_INTERVAL));
        deterministicFaults.put(
                CommandFailure.UNEXPECTED,
                new FaultLog(log, "processing send commands (each answered internal_error)", LOG_INTERVAL));
        this.unanswerable = new FaultLog(log, "answering failed send commands (left unanswered)", LOG_INTERVAL);
        this.acknowledgeFaults = new FaultLog(log, "acknowledging finished send commands", LOG_INTERVAL);
        this.retryFaults =
                new FaultLog(log, "retrying parked send commands (a bug; retried again later)", LOG_INTERVAL);
        for (CommandFailure failure : CommandFailure.values()) {
            failures.put(
                    failure,
                    Counter.builder("chat.commands.failures")
                            .description("Send command attempts that failed, by kind")
                            .tag("kind", failure.name().toLowerCase(Locale.ROOT))
                            .register(meters));
        }
        Gauge.builder("chat.commands.parked", parkedCount, AtomicInteger::get)
                .description("Send commands waiting to be retried after a transient failure")
                .register(meters);
        // Last: its threads start at once.
        this.lanes = new SenderLanes<>(
                "command-lane", properties.lanes(), LANE_CAPACITY, properties.maxBatch(), this::runBatch);
        if (properties.pacesCommits()) {
            long interval = properties.commitInterval().toNanos();
            retries.scheduleAtFixedRate(this::flushAcknowledgments, interval, interval, TimeUnit.NANOSECONDS);
        }
    }

    /** Paced commits: what finished since the last flush is acknowledged, to be committed at the next poll. */
    private void flushAcknowledgments() {
        try {
            assigned.values().forEach(PartitionOffsets::flush);
            acknowledgeFaults.succeeded();
        } catch (Throwable e) {
            // Caught, an Error too: a periodic task that throws is never run again, and no offset would be committed
            // any more. The next flush tries again.
            acknowledgeFaults.failed(e);
        }
    }

    /**
     * On the consumer thread, in offset order per partition: hands the command to its sender's lane and returns. Waits
     * while that lane is full.
     */
    void dispatch(ConsumerRecord<?, ?> record, SendMessageCommand command, Acknowledgment ack) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        PartitionOffsets offsets =
                assigned.computeIfAbsent(partition, p -> new PartitionOffsets(properties.pacesCommits()));
        offsets.received(record.offset());
        SenderKey sender = new SenderKey(partition, command.senderId());
        try {
            lanes.submit(command.senderId(), new Pending(sender, command, offsets, record.offset(), ack));
        } catch (InterruptedException e) {
            // Stopping: the command is not acknowledged, so whoever owns the partition next gets it.
            Thread.currentThread().interrupt();
        }
    }

    /**
     * On a lane: the commands that queued on it while it was busy, in the order they arrived. Those that need no special
     * care are stored together in one transaction; the rest, and all of them when that fails, one by one. A sender
     * whose command needs care (its sender is parked or was just refused by the rate limit, its conversation is failing,
     * or the command cannot join a batch: see {@link SendBatches#canJoin}) has its later commands in the batch run one by
     * one too, after the ones stored together, so each sender's commands keep their order and the other senders' are
     * still stored together.
     */
    private void runBatch(List<Pending> batch) {
        List<Pending> together = new ArrayList<>(batch.size());
        List<Pending> oneByOne = new ArrayList<>(batch.size());
        Set<SenderKey> careful = new HashSet<>();
        for (Pending pending : batch) {
            if (batch.size() > 1
                    && !pending.offsets().isRevoked()
                    && !careful.contains(pending.sender())
                    && !isParked(pending.sender())
                    && !recentFailures.knownToFail(pending.command())
                    && canJoin(pending.command())) {
                together.add(pending);
            } else {
                careful.add(pending.sender());
                oneByOne.add(pending);
            }
        }
        if (together.size() > 1 && storeTogether(together)) {
            oneByOne.forEach(pending -> run(pending.sender(), pending));
        } else {
            batch.forEach(pending -> run(pending.sender(), pending));
        }
    }

    /** Whether the command can be stored with others; one that cannot be told (a bug) goes the single path. */
    private boolean canJoin(SendMessageCommand command) {
        try {
            return handler.canJoin(command);
        } catch (Throwable e) {
            return false; // the single path meets the same failure, and classifies and answers it
        }
    }

    /** True when every command was stored in one transaction; false when nothing was (run them one by one). */
    private boolean storeTogether(List<Pending> together) {
        boolean stored;
        try {
            stored = handler.handleTogether(
                    together.stream().map(Pending::command).toList());
        } catch (Throwable e) {
            // Whatever it was, an Error too, the transaction rolled back (TransactionTemplate rolls back on any
            // Throwable), nothing of it is stored, and the single path classifies and answers each command.
            stored = false;
        }
        if (!stored) {
            return false;
        }
        for (Pending pending : together) {
            recentFailures.worked(pending.command());
            finish(pending);
        }
        return true;
    }

    private synchronized boolean isParked(SenderKey sender) {
        return parked.containsKey(sender);
    }

    /** On the sender's lane, in the order its commands arrived. */
    private void run(SenderKey sender, Pending pending) {
        if (pending.offsets().isRevoked()) {
            return; // the partition's next owner gets it
        }
        if (queueBehindParked(sender, pending)) {
            return;
        }
        // Where commands just failed transiently, do not make the lane wait for another timeout.
        if (!recentFailures.knownToFail(pending.command()) && attemptInline(pending)) {
            finish(pending);
        } else {
            park(sender, pending);
        }
    }

    private void failedTransiently(SendMessageCommand command, Throwable failure) {
        recentFailures.failed(command, failure);
        transientFaults.failed(failure);
    }

    /** Tries at once, then again for at most {@code inline-retry}; false when the command still fails. */
    private boolean attemptInline(Pending pending) {
        long deadline = System.nanoTime() + properties.inlineRetry().toNanos();
        long backoffMillis = properties.retryBackoff().toMillis();
        while (true) {
            if (attempt(pending.command())) {
                return true;
            }
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis) > deadline) {
                return false;
            }
            try {
                Thread.sleep(backoffMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            backoffMillis *= 2;
        }
    }

    /** One attempt: true when the command is finished (stored, or answered), false when it is worth retrying. */
    private boolean attempt(SendMessageCommand command) {
        try {
            handler.handle(command);
            recentFailures.worked(command);
            return true;
        } catch (Throwable e) {
            // Every Throwable: one let through would leave the command unfinished, its partition's offsets held and
            // its sender's later commands stuck behind it. An Error is a bug, answered internal_error like any other
            // (CommandFailure.classify); thrown in the send's transaction, it rolled that back (TransactionTemplate
            // rolls back on any Throwable), so nothing of the command is stored. A VirtualMachineError too: a real
            // OutOfMemoryError ends the JVM before it gets here (-XX:+ExitOnOutOfMemoryError, infra/k8s/*.yaml).
            CommandFailure failure = CommandFailure.classify(e);
            failures.get(failure).increment();
            if (failure.isTransient()) {
                failedTransiently(command, e);
                return false;
            }
            deterministicFaults.get(failure).failed(e);
            return answer(command, failure, e);
        }
    }

    /** Answers a deterministic failure; false if that failed transiently (the command is then retried whole). */
    private boolean answer(SendMessageCommand command, CommandFailure failure, Throwable cause) {
        try {
            handler.reject(command, failure.reason(), failure.detailFor(cause), null);
            rejected(failure.reason());
            return true;
        } catch (Throwable e) {
            if (CommandFailure.classify(e).isTransient()) {
                failedTransiently(command, e);
                return false;
            }
            // Nothing more can be done for it: the client gets no answer and retries with the same client_msg_id.
            unanswerable.failed(e);
            return true;
        }
    }

    private void finish(Pending pending) {
        pending.offsets().finished(pending.offset(), pending.ack());
        if (parkedCount.get() == 0) {
            transientFaults.succeeded();
        }
    }

    private boolean queueBehindParked(SenderKey sender, Pending pending) {
        synchronized (this) {
            Parked queue = parked.get(sender);
            if (queue == null) {
                return false;
            }
            queue.commands.addLast(pending);
            parkedCount.incrementAndGet();
        }
        adjustConsumption();
        return true;
    }

    private void park(SenderKey sender, Pending pending) {
        Parked queue = new Parked(sender, properties.retryBackoff());
        synchronized (this) {
            queue.commands.addLast(pending);
            parked.put(sender, queue);
            parkedCount.incrementAndGet();
        }
        adjustConsumption();
        schedule(queue);
    }

    private void schedule(Parked queue) {
        try {
            retries.schedule(() -> retry(queue), queue.backoff.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Shutting down: the commands were not committed, the next owner of the partition gets them.
        }
    }

    /** On a retry thread: works through a sender's parked commands in order until one fails again. */
    private void retry(Parked queue) {
        try {
            while (true) {
                Pending head;
                synchronized (this) {
                    if (queue.dropped) {
                        return;
                    }
                    head = queue.commands.peekFirst();
                }
                if (!attempt(head.command())) {
                    queue.backoff = min(queue.backoff.multipliedBy(2), properties.maxRetryBackoff());
                    schedule(queue);
                    return;
                }
                queue.backoff = properties.retryBackoff();
                boolean drained;
                synchronized (this) {
                    if (queue.dropped) {
                        return;
                    }
                    queue.commands.pollFirst();
                    parkedCount.decrementAndGet();
                    drained = queue.commands.isEmpty();
                    if (drained) {
                        // From now on this sender's new commands run at once again; all earlier ones are stored.
                        parked.remove(queue.sender);
                    }
                }
                adjustConsumption();
                finish(head);
                if (drained) {
                    return;
                }
            }
        } catch (Throwable e) {
            // A bug here, an Error too, must not strand the sender's commands: log it and try again later.
            retryFaults.failed(e);
            schedule(queue);
        }
    }

    /**
     * Pauses consumption when too many commands are parked, resumes it when half of them have drained. Its own lock:
     * the container's pause and resume take the container's lifecycle lock, never call this while holding
     * {@code this}.
     */
    private void adjustConsumption() {
        synchronized (pauseLock) {
            int count = parkedCount.get();
            if (!paused && count > properties.maxParked()) {
                MessageListenerContainer container = container();
                if (container != null) {
                    container.pause();
                    paused = true;
                    log.warn(
                            "{} send commands are parked (limit {}): stopped taking commands from Kafka until half"
                                    + " of them are stored",
                            count,
                            properties.maxParked());
                }
            } else if (paused && count <= properties.maxParked() / 2) {
                MessageListenerContainer container = container();
                if (container != null) {
                    container.resume();
                }
                paused = false;
                log.info("{} send commands parked: taking commands from Kafka again", count);
            }
        }
    }

    private MessageListenerContainer container() {
        KafkaListenerEndpointRegistry endpoints = registry.getIfAvailable();
        return endpoints == null ? null : endpoints.getListenerContainer(LISTENER_ID);
    }

    @Override
    public void onPartitionsRevokedBeforeCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        // On the consumer thread, where an acknowledgment counts at once: the container commits it right after this,
        // so the next owner starts after the commands finished here, not up to commit-interval before them.
        for (TopicPartition partition : partitions) {
            PartitionOffsets offsets = assigned.get(partition);
            if (offsets != null) {
                offsets.flush();
            }
        }
        forget(partitions);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        forget(partitions);
    }

    /** Partitions gone to another consumer: their unfinished commands are its business now. */
    private void forget(Collection<TopicPartition> partitions) {
        Set<TopicPartition> gone = new HashSet<>(partitions);
        for (TopicPartition partition : gone) {
            PartitionOffsets offsets = assigned.remove(partition);
            if (offsets != null) {
                offsets.revoke();
            }
        }
        synchronized (this) {
            parked.values().removeIf(queue -> {
                if (!gone.contains(queue.sender.partition())) {
                    return false;
                }
                queue.dropped = true;
                parkedCount.addAndGet(-queue.commands.size());
                return true;
            });
        }
        adjustConsumption();
    }

    private void rejected(RejectReason reason) {
        // The same meter MessageSender counts its refusals in.
        Counter.builder("chat.messages.rejected")
                .description("Sends refused, by reason")
                .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                .register(meters)
                .increment();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void destroy() {
        lanes.close();
        retries.shutdownNow();
    }
}
