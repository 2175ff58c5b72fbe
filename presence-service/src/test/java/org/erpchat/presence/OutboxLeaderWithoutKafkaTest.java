package org.erpchat.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.erpchat.events.PresenceChanged;
import org.erpchat.presence.outbox.OutboxStream;
import org.erpchat.support.outbox.OutboxRelay;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The instance that holds the outbox lease cannot reach Kafka while the test's own instance can: it must not keep the
 * lease, and with it every presence event, for as long as it runs. After failing for a lease time it leaves the lease
 * to expire, and the healthy instance publishes what is waiting.
 */
class OutboxLeaderWithoutKafkaTest extends PresenceIntegrationTest {

    @Autowired
    private OutboxRelay relay;

    @Autowired
    private OutboxStream stream;

    @Test
    void aLeaderThatCannotPublishLeavesTheLeaseToOneThatCan() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ConfigurableApplicationContext sick = startAnotherInstance(Map.of(
                "spring.kafka.bootstrap-servers", "127.0.0.1:" + closedPort, "chat.kafka.topics.create", "false"));
        OutboxStream sickStream = sick.getBean(OutboxStream.class);
        try (FakeGateway gateway = FakeGateway.live()) {
            // The healthy instance gives the lease up (stopping its relay releases it), and the sick one takes it.
            relay.stop();
            await().atMost(Duration.ofSeconds(30)).until(sickStream::isLeader);
            relay.start();
            long user = newId();
            gateway.open(user);

            Duration leaseTime = properties.outbox().leaseTime();
            presenceEvents.awaitEvents(
                    PresenceChanged.class,
                    event -> event.userId() == user && event.online(),
                    1,
                    leaseTime.multipliedBy(4).plusSeconds(20));
            assertThat(stream.isLeader()).isTrue();
            assertThat(sickStream.isLeader()).isFalse();
        } finally {
            relay.start();
            sick.close();
        }
    }
}
