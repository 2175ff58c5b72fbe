package org.erpchat.presence.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.erpchat.events.ChatEvent;
import org.erpchat.events.PresenceChanged;
import org.erpchat.events.Topics;
import org.erpchat.events.UserTyping;
import org.erpchat.presence.PresenceMetrics;
import org.erpchat.presence.PresenceProperties;
import org.erpchat.presence.state.RedisKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes the events the Lua scripts recorded in the {@code presence:outbox} stream to {@code chat.presence-events}.
 *
 * <p>Why an outbox: a transition is decided inside a script, exactly once. If the instance that ran it published the
 * event itself, a Kafka failure (or a crash) between the script and the send would lose the event for good, since
 * replaying the connection event finds nothing left to change. Recording the event in the same script makes it as
 * durable as the state change. Why one publisher at a time (a lease in Redis): the stream holds the events in the
 * order the transitions happened; a single publisher sending them in that order keeps each user's online/offline
 * events in order on Kafka, even when the transitions were decided by different instances. Delivery is at least once:
 * a batch whose acknowledgement was not seen is sent again.
 */
@Component
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    /** Stops after the Kafka listeners (so their last transitions get published) and before the Redis client. */
    static final int PHASE = 100;

    private static final RedisScript<Long> LEASE =
            RedisScript.of(new ClassPathResource("lease.lua", RedisKeys.class), Long.class);
    private static final RedisScript<Long> RELEASE =
            RedisScript.of(new ClassPathResource("release.lua", RedisKeys.class), Long.class);

    private final StringRedisTemplate redis;
    private final KafkaTemplate<String, ChatEvent> kafka;
    private final PresenceProperties.Outbox config;
    private final PresenceMetrics metrics;
    private final String owner = UUID.randomUUID().toString();
    private final Semaphore wake = new Semaphore(0);

    private volatile boolean running;
    private volatile boolean leader;
    private Thread thread;
    private int failures;

    OutboxRelay(
            StringRedisTemplate redis,
            KafkaTemplate<String, ChatEvent> kafka,
            PresenceProperties properties,
            PresenceMetrics metrics) {
        this.redis = redis;
        this.kafka = kafka;
        this.config = properties.outbox();
        this.metrics = metrics;
    }

    /** Something was recorded in the outbox: publish it now rather than at the next poll. */
    public void wakeUp() {
        wake.release();
    }

    /** Whether this instance currently holds the lease and publishes the outbox. */
    public boolean isLeader() {
        return leader;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "presence-outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        Thread current;
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            current = thread;
        }
        wake.release();
        try {
            current.join(config.sendTimeout().toMillis() + 5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            // The listeners have stopped: publish what their last records recorded, then let another instance lead.
            if (holdLease()) {
                while (drainBatch() == config.batchSize()) {
                    // keep going until the outbox is empty
                }
            }
            redis.execute(RELEASE, List.of(RedisKeys.OUTBOX_LEASE), owner);
        } catch (RuntimeException e) {
            log.warn("Could not finish publishing the presence outbox at shutdown: {}", e.toString());
        }
        leader = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private void run() {
        while (running) {
            boolean more = false;
            try {
                if (holdLease()) {
                    more = drainBatch() == config.batchSize();
                }
                if (failures > 0) {
                    log.info("Presence outbox relay recovered after {} failed attempts", failures);
                    failures = 0;
                }
            } catch (RuntimeException e) {
                failures++;
                if (failures == 1 || failures % 100 == 0) {
                    log.warn("Presence outbox relay failed ({} in a row), will retry: {}", failures, e.toString());
                }
            }
            if (!more) {
                awaitWork();
            }
        }
    }

    private void awaitWork() {
        try {
            long millis = config.pollInterval().toMillis() * Math.min(1L << Math.min(failures, 6), 50);
            wake.tryAcquire(millis, TimeUnit.MILLISECONDS);
            wake.drainPermits();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private boolean holdLease() {
        Long held = redis.execute(
                LEASE,
                List.of(RedisKeys.OUTBOX_LEASE),
                owner,
                Long.toString(config.leaseTime().toMillis()));
        leader = held != null && held == 1L;
        return leader;
    }

    /** Publishes up to one batch, oldest first, and removes it once Kafka acknowledged all of it. */
    private int drainBatch() {
        List<MapRecord<String, Object, Object>> records = redis.opsForStream()
                .range(RedisKeys.OUTBOX, Range.unbounded(), Limit.limit().count(config.batchSize()));
        if (records == null || records.isEmpty()) {
            metrics.outboxBacklog(0);
            return 0;
        }
        List<RecordId> ids = new ArrayList<>(records.size());
        List<ChatEvent> events = new ArrayList<>(records.size());
        List<CompletableFuture<?>> sends = new ArrayList<>(records.size());
        for (MapRecord<String, Object, Object> record : records) {
            ids.add(record.getId());
            ChatEvent event;
            try {
                event = OutboxEntries.decode(record.getValue());
            } catch (RuntimeException e) {
                // Only a bug could write such an entry; keeping it would block the outbox forever.
                log.error("Dropping unreadable presence outbox entry {}: {}", record.getId(), e.toString());
                continue;
            }
            events.add(event);
            sends.add(kafka.send(Topics.PRESENCE_EVENTS, event.partitionKey(), event));
        }
        await(sends, config.sendTimeout());
        redis.opsForStream().delete(RedisKeys.OUTBOX, ids.toArray(RecordId[]::new));
        for (ChatEvent event : events) {
            if (event instanceof PresenceChanged changed) {
                metrics.presencePublished(changed.online());
            } else if (event instanceof UserTyping typing) {
                metrics.typingPublished(typing.typing());
            }
        }
        Long backlog = redis.opsForStream().size(RedisKeys.OUTBOX);
        metrics.outboxBacklog(backlog == null ? 0 : backlog);
        return records.size();
    }

    private static void await(List<CompletableFuture<?>> sends, Duration timeout) {
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing presence events", e);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka did not acknowledge presence events: " + e, e);
        }
    }
}
