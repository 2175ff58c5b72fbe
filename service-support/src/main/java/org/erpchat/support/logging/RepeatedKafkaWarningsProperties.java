package org.erpchat.support.logging;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the Kafka client library's repeated WARN and INFO lines are collapsed (a broker that is down makes every client
 * warn about it once a second).
 *
 * @param enabled collapse them; off, every line of Kafka's clients is logged as it comes
 * @param window a repeat within this time of the last one is counted instead of logged, and while they go on one line
 *     per window says how many there were
 */
@Validated
@ConfigurationProperties("chat.logging.repeated-kafka-warnings")
public record RepeatedKafkaWarningsProperties(
        @DefaultValue("true") boolean enabled,

        @NotNull @DurationMin(seconds = 1) @DefaultValue("1m")
        Duration window) {}
