package org.erpchat.presence.outbox;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.erpchat.events.ChatEvent;
import org.erpchat.events.PresenceChanged;
import org.erpchat.events.Topics;
import org.erpchat.events.UserTyping;
import org.erpchat.presence.PresenceMetrics;
import org.erpchat.presence.PresenceProperties;
import org.erpchat.presence.state.RedisKeys;
import org.erpchat.support.outbox.KafkaAcks;
import org.erpchat.support.outbox.OutboxBatches;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The {@code presence:outbox} stream's side of the relay: publishes the events the Lua scripts recorded to
 * {@code chat.presence-events} ({@link OutboxConfiguration} runs the loop).
 *
 * <p>Why an outbox: a transition is decided inside a script, exactly once. If the instance that ran it published the
 * event itself, a Kafka failure (or a crash) between the script and the send would lose the event for good, since
 * replaying the connection event finds nothing left to change. Recording the event in the same script makes it as
 * durable as the state change. Why one publisher at a time (a lease in Redis, renewed on every pass): the stream holds
 * the events in the order the transitions happened; a single publisher sending them in that order keeps each user's
 * online/offline events in order on Kafka, even when the transitions were decided by different instances. Delivery is
 * at least once: a batch whose acknowledgement was not seen is sent again.
 */
public class OutboxStream implements OutboxBatches {

    private static final Logger log = LoggerFactory.getLogger(OutboxStream.class);

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> LEASE =
            RedisScript.of(new ClassPathResource("lease.lua", RedisKeys.class), List.class);

    private static final RedisScript<Long> RELEASE =
            RedisScript.of(new ClassPathResource("release.lua", RedisKeys.class), Long.class);

    private final StringRedisTemplate redis;
    private final KafkaTemplate<String, ChatEvent> kafka;
    private final PresenceProperties.Outbox config;
    private final PresenceMetrics metrics;
    private final OutboxTrimming trimming;
    private final String owner = UUID.randomUUID().toString();

    private volatile boolean leader;
    /** When (nanotime) this instance's batches began to fail; meaningful while {@link #failing}. */
    private long failingSince;

    private boolean failing;
    /** Whether the lease was left since the last batch that went through: said once, not at every turn. */
    private boolean yielded;
    /** Until when (nanotime) this instance leaves the lease alone, for an instance that can publish to take. */
    private long yieldingUntil = System.nanoTime();

    OutboxStream(
            StringRedisTemplate redis,
            KafkaTemplate<String, ChatEvent> kafka,
            PresenceProperties.Outbox config,
            PresenceMetrics metrics) {
        this.redis = redis;
        this.kafka = kafka;
        this.config = config;
        this.metrics = metrics;
        this.trimming = new OutboxTrimming(metrics::outboxTrimmed, Clock.systemUTC());
    }

    /** Whether this instance currently holds the lease and publishes the outbox. */
    public boolean isLeader() {
        return leader;
    }

    /** Publishes up to one batch, oldest first, and removes it once Kafka acknowledged all of it; 0 if not leader. */
    @Override
    public int publishOldest() {
        if (System.nanoTime() - yieldingUntil < 0) {
            leader = false;
            return 0;
        }
        // A pass that gets this far without throwing ends a run of failures (below), whatever it publishes.
        if (!holdLease()) {
            failing = false;
            return 0;
        }
        List<MapRecord<String, Object, Object>> entries = redis.opsForStream()
                .range(RedisKeys.OUTBOX, Range.unbounded(), Limit.limit().count(config.batchSize()));
        if (entries == null || entries.isEmpty()) {
            failing = false;
            metrics.outboxBacklog(0);
            return 0;
        }
        List<RecordId> ids = new ArrayList<>(entries.size());
        List<ProducerRecord<String, ChatEvent>> records = new ArrayList<>(entries.size());
        for (MapRecord<String, Object, Object> entry : entries) {
            ids.add(entry.getId());
            try {
                ChatEvent event = OutboxEntries.decode(entry.getValue());
                records.add(new ProducerRecord<>(Topics.PRESENCE_EVENTS, event.partitionKey(), event));
            } catch (RuntimeException e) {
                // Only a bug could write such an entry; keeping it would block the outbox forever.
                log.error("Dropping unreadable presence outbox entry {}: {}", entry.getId(), e.toString());
            }
        }
        KafkaAcks.sendAll(kafka, records, config.sendTimeout());
        failing = false;
        yielded = false;
        redis.opsForStream().delete(RedisKeys.OUTBOX, ids.toArray(RecordId[]::new));
        records.forEach(record -> count(record.value()));
        Long backlog = redis.opsForStream().size(RedisKeys.OUTBOX);
        metrics.outboxBacklog(backlog == null ? 0 : backlog);
        return entries.size();
    }

    /**
     * A batch failed. One that keeps failing for a whole {@code lease-time} leaves the lease to expire for {@code
     * lease-time}: an instance that cannot reach Kafka while the others can (a network fault of its own) would otherwise
     * renew it for as long as it runs, and no presence event would reach anyone. Not released at once: sends of the
     * failed batch may still be under way (the lease outlasts the producer's delivery timeout), and the next leader's
     * must not overtake them. When every instance fails alike, the lease goes round; entries are published oldest first
     * by whoever holds it.
     */
    @Override
    public void afterFailure() {
        long now = System.nanoTime();
        if (!failing) {
            failing = true;
            failingSince = now;
        } else if (now - failingSince >= config.leaseTime().toNanos()) {
            failing = false;
            yieldingUntil = now + config.leaseTime().toNanos();
            leader = false;
            if (!yielded) {
                yielded = true;
                log.warn(
                        "Publishing presence events has failed for {} ms: leaving the outbox lease for {} ms to an"
                                + " instance that can (and again each time it fails that long, until a batch goes"
                                + " through)",
                        (now - failingSince) / 1_000_000,
                        config.leaseTime().toMillis());
            }
        }
    }

    /** The listeners have stopped and the last events are out: let another instance lead at once. */
    @Override
    public void afterStop() {
        redis.execute(RELEASE, List.of(RedisKeys.OUTBOX_LEASE), owner);
        leader = false;
    }

    /** Renews or takes the lease, and with it the count of events the outbox dropped unpublished meanwhile. */
    private boolean holdLease() {
        List<?> held = redis.execute(
                LEASE,
                List.of(RedisKeys.OUTBOX_LEASE, RedisKeys.OUTBOX_TRIMMED),
                owner,
                Long.toString(config.leaseTime().toMillis()));
        leader = held != null && ((Number) held.get(0)).longValue() == 1L;
        trimming.taken(held == null ? 0 : ((Number) held.get(1)).longValue());
        return leader;
    }

    private void count(ChatEvent event) {
        if (event instanceof PresenceChanged changed) {
            metrics.presencePublished(changed.online());
        } else if (event instanceof UserTyping typing) {
            metrics.typingPublished(typing.typing());
        }
    }
}
