package org.erpchat.support.kafka;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Kafka settings shared by every service.
 *
 * @param topics whether and how services create the chat topics at startup
 * @param retry how a listener retries a record whose processing failed for a transient reason (say, the database
 *     was briefly unreachable) before sending it to the dead-letter topic. Records that cannot be read at all go to
 *     the dead-letter topic at once.
 */
@Validated
@ConfigurationProperties("chat.kafka")
public record ChatKafkaProperties(
        @NotNull @DefaultValue Topics topics,
        @NotNull @DefaultValue Retry retry) {

    /**
     * @param create create missing topics at startup (turn off where topics are managed outside, see infra/)
     * @param partitions partitions of each chat topic; bounds how many consumers of one group work in parallel
     * @param replicationFactor replicas of each topic; 1 only on a single-broker development cluster
     */
    public record Topics(
            @DefaultValue("true") boolean create,
            @Min(1) @DefaultValue("6") int partitions,
            @Min(1) @DefaultValue("1") short replicationFactor) {}

    /**
     * @param initialInterval wait before the first retry
     * @param maxInterval the longest wait between retries
     * @param maxElapsedTime give up (and dead-letter) after retrying this long
     */
    public record Retry(
            @NotNull @DefaultValue("200ms") Duration initialInterval,
            @NotNull @DefaultValue("10s") Duration maxInterval,
            @NotNull @DefaultValue("5m") Duration maxElapsedTime) {}
}
