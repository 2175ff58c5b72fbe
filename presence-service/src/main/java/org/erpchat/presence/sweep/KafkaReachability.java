package org.erpchat.presence.sweep;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.erpchat.presence.PresenceProperties;
import org.erpchat.support.logging.FaultLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * Whether this instance can reach the Kafka cluster right now, and since when it cannot, probed in the background.
 * Gateways vouch for their sessions through Kafka, so silence means "the gateway is gone" only while Kafka itself
 * answers: when it does not, presence-service cannot hear anyone and must not conclude that users left (unless other
 * instances hear them instead: {@link Sweeper}). The first probe runs as the instance starts, before its first sweep.
 */
@Component
class KafkaReachability implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(KafkaReachability.class);

    private final Map<String, Object> adminConfig;
    private final Duration interval;
    private final Duration timeout;
    private final FaultLog faults;
    private volatile boolean reachable;
    /** {@link System#nanoTime()} of the first failed probe since the last successful one; null while reachable. */
    private volatile Long unreachableSince;

    private volatile Thread prober;

    KafkaReachability(KafkaAdmin kafkaAdmin, PresenceProperties properties, MeterRegistry meters) {
        this.interval = properties.kafkaProbe().interval();
        this.timeout = properties.kafkaProbe().timeout();
        this.adminConfig = new HashMap<>(kafkaAdmin.getConfigurationProperties());
        int millis = (int) timeout.toMillis();
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "presence-kafka-probe");
        this.faults = new FaultLog(
                log,
                "reaching Kafka (session expiry and pending offlines are held meanwhile, for at most"
                        + " kafka-probe.local-outage-hold while other instances reach it)",
                Duration.ofMinutes(1));
        Gauge.builder("chat.presence.kafka.reachable", this, probe -> probe.reachable ? 1 : 0)
                .description("1 while this instance reaches Kafka; 0 while it does not (it holds session expiry while"
                        + " no other instance reaches Kafka, or for kafka-probe.local-outage-hold)")
                .register(meters);
    }

    /** Whether the last probe reached the cluster. */
    boolean reachable() {
        return reachable;
    }

    /**
     * How long this instance has been unable to reach the cluster: since the first failed probe after the last
     * successful one. Zero while it reaches it, and before the first probe has failed.
     */
    Duration unreachableFor() {
        Long since = unreachableSince;
        return since == null ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since);
    }

    /**
     * Probes once before returning, so that the first probe has answered before this instance sweeps (scheduled tasks
     * start after every lifecycle bean has). A sweep before it would hold expiry, which tells every instance that
     * Kafka is unreachable and starts a wait for heartbeats: offlines delayed on every rolling deploy. A Kafka that
     * does not answer delays the start by at most {@code kafka-probe.timeout} and half a second.
     */
    @Override
    public synchronized void start() {
        if (prober == null) {
            Admin admin = Admin.create(adminConfig);
            probe(admin);
            Thread thread = new Thread(() -> probeUntilStopped(admin), "kafka-probe");
            thread.setDaemon(true);
            prober = thread;
            thread.start();
        }
    }

    @Override
    public synchronized void stop() {
        Thread running = prober;
        prober = null;
        if (running != null) {
            running.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return prober != null;
    }

    private void probeUntilStopped(Admin admin) {
        try (admin) {
            while (prober == Thread.currentThread()) {
                try {
                    TimeUnit.MILLISECONDS.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                probe(admin);
            }
        }
    }

    private void probe(Admin admin) {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .clusterId()
                    .get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
            reachable = true;
            unreachableSince = null;
            faults.succeeded();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (unreachableSince == null) {
                unreachableSince = System.nanoTime();
            }
            reachable = false;
            faults.failed(e);
        }
    }
}
