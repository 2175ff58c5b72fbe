package org.erpchat.presence.outbox;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The relay's lease outlasts every send the producer may still be retrying when the lease passes on. */
class OutboxLeaseTest {

    @Test
    void aLeaseLongerThanTheProducersDeliveryTimeoutIsAccepted() {
        assertThatCode(() -> OutboxConfiguration.checkLease(Duration.ofSeconds(10), 5000))
                .doesNotThrowAnyException();
        assertThatCode(() -> OutboxConfiguration.checkLease(Duration.ofSeconds(10), " 5000 "))
                .doesNotThrowAnyException();
    }

    @Test
    void aDeliveryTimeoutAsLongAsTheLeaseOrLongerStopsTheServiceAtStartup() {
        assertThatThrownBy(() -> OutboxConfiguration.checkLease(Duration.ofSeconds(10), "30000"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("chat.presence.outbox.lease-time (10000 ms) must exceed the Kafka producer's"
                        + " delivery.timeout.ms (30000 ms)");
        assertThatThrownBy(() -> OutboxConfiguration.checkLease(Duration.ofSeconds(5), 5000))
                .isInstanceOf(IllegalStateException.class);
        // Not configured: Kafka's default of two minutes, far longer than any lease.
        assertThatThrownBy(() -> OutboxConfiguration.checkLease(Duration.ofSeconds(10), null))
                .isInstanceOf(IllegalStateException.class);
    }
}
