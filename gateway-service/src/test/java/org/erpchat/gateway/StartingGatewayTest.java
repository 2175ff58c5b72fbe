package org.erpchat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.erpchat.events.MessageCreated;
import org.erpchat.events.Topics;
import org.erpchat.gateway.support.Backends;
import org.erpchat.gateway.support.GatewayTest;
import org.erpchat.gateway.support.SecondGateway;
import org.erpchat.gateway.support.WsTestClient;
import org.erpchat.testsupport.ChatInfrastructure;
import org.erpchat.testsupport.KafkaEventCollector;
import org.erpchat.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * A gateway accepts connections before its Kafka consumers have joined their groups and been given partitions (seconds,
 * on a busy broker). What is stored in between must still reach the clients connected meanwhile.
 */
class StartingGatewayTest extends GatewayTest {

    @Autowired
    private ChatInfrastructure infrastructure;

    private final Backends backends = Backends.get();

    @Test
    void aMessageStoredBeforeTheListenersHavePartitionsReachesAClientConnectedMeanwhile() {
        long alice = newUserId();
        long bob = newUserId();
        backends.provision(alice, bob);
        // Listeners that have not started yet: as if their group were still forming when bob connects.
        try (SecondGateway gateway =
                        new SecondGateway("starting-gateway", Map.of("spring.kafka.listener.auto-startup", "false"));
                WsTestClient bobClient = WsTestClient.connect(gateway.wsUri("token=" + TestTokens.forUser(bob)));
                KafkaEventCollector published = KafkaEventCollector.fromNow(infrastructure, Topics.MESSAGE_EVENTS)) {
            bobClient.awaitFrame("connected");
            KafkaListenerEndpointRegistry listeners = gateway.bean(KafkaListenerEndpointRegistry.class);
            assertThat(listeners.getListenerContainers()).noneMatch(MessageListenerContainer::isRunning);

            backends.sendPrivate(alice, bob, "sent while the gateway was starting", "starting-" + alice);
            // In Kafka before the listeners start.
            published.awaitEvents(MessageCreated.class, created -> created.senderId() == alice, 1);
            listeners.start();

            assertThat(bobClient
                            .awaitFrame("private_message")
                            .data()
                            .path("content")
                            .asString())
                    .isEqualTo("sent while the gateway was starting");
        }
    }
}
