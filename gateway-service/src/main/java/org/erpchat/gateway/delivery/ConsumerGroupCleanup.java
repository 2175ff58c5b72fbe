package org.erpchat.gateway.delivery;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DeleteConsumerGroupsOptions;
import org.erpchat.gateway.config.GatewayIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * Deletes this instance's two consumer groups when it shuts down. Each run of a gateway has groups of its own (it reads
 * every partition from its own start), so without this every restart, rolling update or scale-down would leave two
 * empty groups behind until the broker's next clean-up ({@code offsets.retention.check.interval.ms}, 10 minutes by
 * default; the groups have no committed offsets, see {@link ReadPositions}): clutter in every group listing. A gateway
 * that crashes still leaves them, and Kafka removes them then.
 */
@Component
class ConsumerGroupCleanup implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ConsumerGroupCleanup.class);

    /** Short: a shutdown must not hang on a Kafka that is away; the groups then expire on their own. */
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final KafkaAdmin kafkaAdmin;
    private final List<String> groups;
    private volatile boolean running;

    ConsumerGroupCleanup(KafkaAdmin kafkaAdmin, GatewayIdentity identity) {
        this.kafkaAdmin = kafkaAdmin;
        this.groups = EventListeners.consumerGroups(identity.id());
    }

    @Override
    public void start() {
        running = true;
    }

    /** After the listener containers stopped (a lower phase stops later): the groups are empty by then. */
    @Override
    public void stop() {
        running = false;
        try (Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties())) {
            admin.deleteConsumerGroups(groups, new DeleteConsumerGroupsOptions().timeoutMs((int) TIMEOUT.toMillis()))
                    .all()
                    .get(TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
            log.debug("Deleted consumer groups {}", groups);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.info(
                    "Could not delete this gateway's consumer groups {} (Kafka removes them after offsets.retention.minutes): {}",
                    groups,
                    e.toString());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return AbstractMessageListenerContainer.DEFAULT_PHASE - 100;
    }
}
