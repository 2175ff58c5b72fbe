package org.erpchat.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Map;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.session.OutboundFrame;
import org.erpchat.gateway.session.SessionRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Every frame written is counted; the delivery latency is timed for a random sample of the deliveries. */
class GatewayMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final GatewayMetrics metrics = new GatewayMetrics(registry, new SessionRegistry(defaults()));

    @Test
    void everyFrameIsCountedAndAboutOneDeliveryInEightIsTimed() {
        int deliveries = 80_000;
        OutboundFrame delivery = new OutboundFrame(
                org.erpchat.gateway.protocol.TextFrame.of("{}"),
                false,
                Instant.now().minusMillis(40));
        for (int i = 0; i < deliveries; i++) {
            metrics.written(delivery);
        }
        metrics.written(OutboundFrame.control("{\"event\":\"pong\"}"));

        assertThat(registry.get("chat.gateway.frames.written").counter().count())
                .isEqualTo(deliveries + 1.0);
        long timed = registry.get("chat.gateway.delivery.latency").timer().count();
        // 10,000 expected; a binomial spread of about 94, so these bounds hold in practice always.
        assertThat(timed).isBetween(9_000L, 11_000L);
        assertThat(registry.get("chat.gateway.delivery.latency")
                        .timer()
                        .mean(java.util.concurrent.TimeUnit.MILLISECONDS))
                .isGreaterThanOrEqualTo(40.0);
    }

    private static GatewayProperties defaults() {
        return new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("chat.gateway", GatewayProperties.class);
    }
}
