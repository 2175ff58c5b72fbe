package org.erpchat.support.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.erpchat.support.logging.FaultLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The loop that publishes an outbox: one daemon thread per instance that asks its {@link OutboxBatches} for the next
 * batch until the outbox is empty, then waits until {@link #wakeUp()} (something was just recorded) or the poll
 * interval (entries recorded by other instances). A failed batch is retried from the oldest entry after a capped
 * exponential backoff during which wake-ups are ignored, so a broken broker is not hammered by every write. It never
 * skips an entry that failed, so the order of the outbox is the order on Kafka.
 *
 * <p>On shutdown (its lifecycle phase puts it after the listeners and the web server that record entries) it makes
 * one last pass until the outbox is empty, unless it was failing anyway; what is left waits for another instance or the
 * next start.
 *
 * <p>Meters: two counters, of entries published (republished ones count again) and of failed batches, named by
 * each service ({@link Settings}). A fault is logged once, then with a count per minute, then once
 * when it ends.
 */
public final class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    /**
     * How a relay runs.
     *
     * @param name the relay's thread name, also in its log lines ("outbox-relay", "presence-outbox-relay")
     * @param publishedMeter the name of the counter of entries published ("chat.outbox.published")
     * @param failuresMeter the name of the counter of failed batches ("chat.outbox.publish.failures")
     * @param enabled whether this instance runs the relay at all
     * @param batchSize the most entries one pass publishes; a full batch is followed at once by the next
     * @param pollInterval how long the relay waits when nothing woke it
     * @param initialBackoff the wait after a failed batch, doubled after each further failure
     * @param maxBackoff the longest wait between retries
     * @param stopTimeout how long a shutdown waits for the last pass (the longest a batch may wait for Kafka, and more)
     * @param phase the lifecycle phase: after what records entries, before what publishing needs
     */
    public record Settings(
            String name,
            String publishedMeter,
            String failuresMeter,
            boolean enabled,
            int batchSize,
            Duration pollInterval,
            Duration initialBackoff,
            Duration maxBackoff,
            Duration stopTimeout,
            int phase) {}

    private final OutboxBatches batches;
    private final Settings settings;
    private final Counter published;
    private final Counter failures;
    private final FaultLog faults;

    private final Object monitor = new Object();
    private boolean wakeRequested;
    private volatile boolean running;
    private Thread worker;

    public OutboxRelay(OutboxBatches batches, Settings settings, MeterRegistry meters) {
        this.batches = batches;
        this.settings = settings;
        this.published = Counter.builder(settings.publishedMeter())
                .description("Outbox entries published to Kafka (republished ones count again)")
                .register(meters);
        this.failures = Counter.builder(settings.failuresMeter())
                .description("Outbox batches that failed to publish and will be retried")
                .register(meters);
        this.faults =
                new FaultLog(log, "publishing the outbox to Kafka (" + settings.name() + ")", Duration.ofMinutes(1));
    }

    /** Asks the relay to look at the outbox now (something was recorded in it). Cheap; never blocks for long. */
    public void wakeUp() {
        synchronized (monitor) {
            wakeRequested = true;
            monitor.notifyAll();
        }
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        if (!settings.enabled()) {
            log.info("Outbox relay {} disabled in this instance", settings.name());
            return;
        }
        running = true;
        worker = new Thread(this::run, settings.name());
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public void stop() {
        Thread current;
        synchronized (this) {
            current = worker;
            running = false;
            worker = null;
        }
        wakeUp();
        if (current != null) {
            try {
                current.join(settings.stopTimeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return settings.phase();
    }

    private void run() {
        int consecutiveFailures = 0;
        while (running) {
            try {
                int count = publishOnce();
                consecutiveFailures = 0;
                if (count < settings.batchSize()) {
                    pause(settings.pollInterval(), true);
                }
            } catch (RuntimeException e) {
                consecutiveFailures++;
                failures.increment();
                faults.failed(e);
                afterFailure();
                pause(backoff(consecutiveFailures), false);
            }
        }
        if (consecutiveFailures == 0) {
            drain();
        }
        try {
            batches.afterStop();
        } catch (RuntimeException e) {
            log.warn("{}: could not finish the shutdown: {}", settings.name(), e.toString());
        }
    }

    private int publishOnce() {
        int count = batches.publishOldest();
        published.increment(count);
        faults.succeeded();
        return count;
    }

    /** The last pass: the entries the last requests recorded go out now instead of at the next start. */
    private void drain() {
        try {
            while (publishOnce() == settings.batchSize()) {
                // full batches: there may be more
            }
        } catch (RuntimeException e) {
            log.info("{}: entries left for another instance or the next start: {}", settings.name(), e.toString());
        }
    }

    private void afterFailure() {
        try {
            batches.afterFailure();
        } catch (RuntimeException e) {
            log.debug("{}: recovering from a failed batch failed too", settings.name(), e);
        }
    }

    Duration backoff(int consecutiveFailures) {
        long initial = settings.initialBackoff().toMillis();
        long factor = 1L << Math.min(consecutiveFailures - 1, 20);
        return Duration.ofMillis(Math.min(settings.maxBackoff().toMillis(), initial * factor));
    }

    /** Waits up to {@code duration}; returns early on shutdown and, if {@code wakeable}, when woken. */
    private void pause(Duration duration, boolean wakeable) {
        long deadline = System.nanoTime() + duration.toNanos();
        synchronized (monitor) {
            try {
                while (running && !(wakeable && wakeRequested)) {
                    long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (leftMillis <= 0) {
                        break;
                    }
                    monitor.wait(leftMillis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
            if (wakeable) {
                wakeRequested = false;
            }
        }
    }
}
