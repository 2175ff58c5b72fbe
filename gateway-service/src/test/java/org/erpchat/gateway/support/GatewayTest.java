package org.erpchat.gateway.support;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.erpchat.testsupport.TestTokens;
import org.erpchat.testsupport.WithRealInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A gateway on a random port, connected to the shared real Kafka and, through {@link Backends}, to real
 * message-service and presence-service processes. Every test class uses this one configuration, so they share one
 * application context.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "chat.security.jwt.secret=" + TestTokens.SECRET,
            "chat.gateway.allowed-origins=http://allowed.example",
            "chat.gateway.instance-id=gateway-under-test",
            "chat.gateway.outbound.max-messages=64",
            // Pages larger than the queue (fed in chunks of 32) and many of them for a long replay, each asked for
            // while the one before is written.
            "chat.gateway.replay.page-size=100",
            "chat.gateway.outbound.send-timeout=5s",
            "chat.gateway.presence.heartbeat-interval=2s",
            // Long, so that any live message held for a client that did not declare a resume would show in a test.
            "chat.gateway.replay.resume-window=60s",
            // Groups of up to 3 members push presence; larger ones do not (PresenceScopeEndToEndTest).
            "chat.gateway.presence.push-group-limit=3",
            // On, so the tests see that access log lines never carry the seed's ?token=.
            "server.jetty.accesslog.enabled=true",
            "server.jetty.accesslog.filename=target/gateway-access.log"
        })
@WithRealInfrastructure
public abstract class GatewayTest {

    /** User ids no other test class uses, so tests sharing the JVM's servers never see each other's traffic. */
    private static final AtomicLong USER_IDS = new AtomicLong(System.nanoTime() % 1_000_000 * 1000 + 1_000_000);

    @LocalServerPort
    protected int port;

    /** The real message-service and presence-service, started before the first gateway context. */
    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        Backends backends = Backends.get();
        registry.add("chat.gateway.message-service.base-url", backends::messageServiceUrl);
        registry.add("chat.gateway.presence-service.base-url", backends::presenceServiceUrl);
    }

    @Autowired
    private KafkaListenerEndpointRegistry listeners;

    /**
     * The listeners start at the records of their gateway's first seconds, so an event published before they own their
     * partitions (right after the context started) is read late rather than missed; every test starts once they do.
     */
    @BeforeEach
    void listenersOwnTheirPartitions() {
        ListenerPartitions.awaitAssigned(listeners);
    }

    protected static long newUserId() {
        return USER_IDS.incrementAndGet();
    }

    protected URI wsUri() {
        return URI.create("ws://127.0.0.1:" + port + "/ws");
    }

    protected URI wsUri(String query) {
        return URI.create("ws://127.0.0.1:" + port + "/ws?" + query);
    }

    /** Connects the way the seed's client does: the token in the query string. */
    protected WsTestClient connect(long userId) {
        WsTestClient client = WsTestClient.connect(wsUri("token=" + TestTokens.forUser(userId)));
        client.awaitFrame("connected");
        return client;
    }

    /** Connects the way a resuming client does: it declares the resume, and must send it next. */
    protected WsTestClient connectResuming(long userId) {
        WsTestClient client = WsTestClient.connect(wsUri("token=" + TestTokens.forUser(userId) + "&resume=true"));
        client.awaitFrame("connected");
        return client;
    }

    protected WsTestClient connectWithHeader(long userId) {
        WsTestClient client =
                WsTestClient.connect(wsUri(), Map.of("Authorization", "Bearer " + TestTokens.forUser(userId)));
        client.awaitFrame("connected");
        return client;
    }
}
