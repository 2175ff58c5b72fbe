package org.erpchat.gateway.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

/**
 * The gateway's listeners start at the records of their gateway's first seconds: an event published before they own
 * their partitions (right after a context started) is read late, so tests that publish wait for this first.
 */
public final class ListenerPartitions {

    private ListenerPartitions() {}

    /** Waits until every listener container of {@code listeners} has partitions assigned. */
    public static void awaitAssigned(KafkaListenerEndpointRegistry listeners) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> listeners.getListenerContainers().stream()
                        .allMatch(container -> container.getAssignedPartitions() != null
                                && !container.getAssignedPartitions().isEmpty()));
    }
}
