package org.erpchat.presence.outbox;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The relay's lease outlasts every send the producer may still be retrying when the lease passes on: a send may block
 * for {@code max.block.ms} before its {@code delivery.timeout.ms} even starts.
 */
class OutboxLeaseTest {

    private static final Duration LEASE = Duration.ofSeconds(10);

    @Test
    void aLeaseLongerThanMaxBlockPlusDeliveryTimeoutIsAccepted() {
        // The shipped values (application.yml): 2 s + 4 s within a 10 s lease.
        assertThatCode(() -> OutboxConfiguration.checkLease(LEASE, 2000, 4000)).doesNotThrowAnyException();
        // As Spring passes spring.kafka.producer.properties.*: text.
        assertThatCode(() -> OutboxConfiguration.checkLease(LEASE, " 2000 ", "4000"))
                .doesNotThrowAnyException();
        assertThatCode(() -> OutboxConfiguration.checkLease(LEASE, "4999", "5000"))
                .doesNotThrowAnyException();
    }

    @Test
    void aLeaseNoLongerThanMaxBlockPlusDeliveryTimeoutStopsTheServiceAtStartup() {
        // Each limit alone is below the lease, and was accepted when only delivery.timeout.ms was checked.
        assertThatThrownBy(() -> OutboxConfiguration.checkLease(LEASE, "5000", "5000"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("chat.presence.outbox.lease-time (10000 ms) must exceed the Kafka producer's"
                        + " max.block.ms plus delivery.timeout.ms (5000 ms + 5000 ms = 10000 ms), the longest a"
                        + " send can stay unsettled");
        assertThatThrownBy(() -> OutboxConfiguration.checkLease(LEASE, 8000, 4000))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> OutboxConfiguration.checkLease(LEASE, 0, "30000"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anUnsetLimitIsKafkasDefault() {
        // max.block.ms: one minute.
        assertThatThrownBy(() -> OutboxConfiguration.checkLease(LEASE, null, 4000))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("(60000 ms + 4000 ms = 64000 ms)");
        assertThatCode(() -> OutboxConfiguration.checkLease(Duration.ofMillis(64_001), null, 4000))
                .doesNotThrowAnyException();
        // delivery.timeout.ms: two minutes.
        assertThatThrownBy(() -> OutboxConfiguration.checkLease(LEASE, 2000, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("(2000 ms + 120000 ms = 122000 ms)");
        // Neither: three minutes.
        assertThatThrownBy(() -> OutboxConfiguration.checkLease(Duration.ofMinutes(3), null, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("(60000 ms + 120000 ms = 180000 ms)");
        assertThatCode(() -> OutboxConfiguration.checkLease(Duration.ofMillis(180_001), null, null))
                .doesNotThrowAnyException();
    }
}
