package org.erpchat.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.protocol.TextFrame;
import org.erpchat.gateway.session.OutboundFrame;
import org.erpchat.gateway.session.SessionRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.web.socket.CloseStatus;

/** Every frame written is counted; the delivery latency is timed for about eight deliveries of each message. */
class GatewayMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final GatewayMetrics metrics = new GatewayMetrics(registry, new SessionRegistry(defaults()));

    @Test
    void everyFrameIsCountedAndAboutEightDeliveriesOfALargeFanOutAreTimed() {
        int messages = 100;
        int sessions = 1_000;
        for (int m = 0; m < messages; m++) {
            OutboundFrame delivery = new OutboundFrame(
                    TextFrame.of("{}"), false, Instant.now().minusMillis(40), GatewayMetrics.latencySampling(sessions));
            for (int i = 0; i < sessions; i++) {
                metrics.written(delivery);
            }
        }
        metrics.written(OutboundFrame.control("{\"event\":\"pong\"}"));

        assertThat(registry.get("chat.gateway.frames.written").counter().count())
                .isEqualTo(messages * sessions + 1.0);
        long timed = registry.get("chat.gateway.delivery.latency").timer().count();
        // 800 expected; a binomial spread of about 28, so these bounds hold in practice always.
        assertThat(timed).isBetween(600L, 1_000L);
        assertThat(registry.get("chat.gateway.delivery.latency").timer().mean(TimeUnit.MILLISECONDS))
                .isGreaterThanOrEqualTo(40.0);
    }

    @Test
    void everyDeliveryOfASmallFanOutIsTimed() {
        assertThat(GatewayMetrics.latencySampling(1)).isEqualTo(1);
        assertThat(GatewayMetrics.latencySampling(GatewayMetrics.TIMED_PER_MESSAGE + 1))
                .isEqualTo(1);
        OutboundFrame privateMessage =
                new OutboundFrame(TextFrame.of("{}"), false, Instant.now(), GatewayMetrics.latencySampling(2));
        metrics.written(privateMessage);
        metrics.written(privateMessage);
        OutboundFrame acknowledgement = new OutboundFrame(TextFrame.of("{}"), false, Instant.now());
        metrics.written(acknowledgement);

        assertThat(registry.get("chat.gateway.delivery.latency").timer().count())
                .isEqualTo(3);
    }

    private static GatewayProperties defaults() {
        return new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("chat.gateway", GatewayProperties.class);
    }

    @Test
    void closesAreCountedByWhatEndedThem() {
        metrics.closed(CloseStatus.SESSION_NOT_RELIABLE);
        metrics.closed(new CloseStatus(4001));
        metrics.closed(new CloseStatus(4999));

        assertThat(registry.get("chat.gateway.sessions.closed")
                        .tag("reason", "write_failed")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("chat.gateway.sessions.closed")
                        .tag("reason", "too_slow")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("chat.gateway.sessions.closed")
                        .tag("reason", "other")
                        .counter()
                        .count())
                .isEqualTo(1);
    }
}
