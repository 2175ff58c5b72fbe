package org.erpchat.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Server;
import org.erpchat.events.ConversationKind;
import org.erpchat.events.MessageCreated;
import org.erpchat.events.MessageType;
import org.erpchat.gateway.session.ChatSession;
import org.erpchat.gateway.session.OutboundQueue;
import org.erpchat.gateway.session.SessionRegistry;
import org.erpchat.gateway.support.GatewayTest;
import org.erpchat.gateway.support.KafkaEvents;
import org.erpchat.gateway.support.WsTestClient;
import org.erpchat.testsupport.ChatInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/**
 * A client that stops reading while a write to it is stuck (its socket buffers are full, the gateway's queue is not) is
 * closed with 4001 and counted {@code too_slow}: the gateway's send timeout (5 s here) decides before the container's
 * own write timeout can drop the socket.
 */
class SlowClientTest extends GatewayTest {

    private static final String BULK = "x".repeat(64 * 1024);

    @Autowired
    ChatInfrastructure infrastructure;

    @Autowired
    SessionRegistry sessions;

    @Autowired
    MeterRegistry meters;

    @Autowired
    WebServerApplicationContext webServer;

    @Test
    void aClientWhoseWriteIsStuckIsClosedWith4001AndCountedTooSlow() {
        long reader = newUserId();
        long sender = newUserId();
        long conversation = ThreadLocalRandom.current().nextLong(1_000_000_000L, 2_000_000_000L);
        double tooSlowBefore = tooSlow();
        try (KafkaEvents kafka = new KafkaEvents(infrastructure);
                WsTestClient slow = connect(reader)) {
            ChatSession session = sessionOf(slow);

            slow.pause();
            stallWrites(kafka, session, conversation, sender, reader);

            await().atMost(Duration.ofSeconds(30)).until(() -> tooSlow() > tooSlowBefore);
            // Reading again, the client takes what piled up and then the close frame.
            slow.unpause();
            assertThat(slow.awaitClose()).isEqualTo(4001);
            assertThat(slow.closeReason()).isEqualTo("too slow, reconnect and resume");
        }
    }

    /**
     * Messages of 64 KB, each once the previous one has left the queue, until a write has been stuck for a second:
     * the socket buffers are full while the queue stays nearly empty (far from its own limits).
     */
    private static void stallWrites(
            KafkaEvents kafka, ChatSession session, long conversation, long sender, long reader) {
        OutboundQueue outbound = session.outbound();
        long seq = 0;
        while (!stuckForASecond(outbound)) {
            assertThat(seq).as("a write got stuck").isLessThan(2_000);
            kafka.publish(message(conversation, ++seq, sender, reader));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> outbound.size() == 0 || stuckForASecond(outbound) || session.isClosing());
        }
    }

    @Test
    void aClientThatNeverReadsAgainLosesItsConnectionOnceTheCloseHasWaitedTheWriteTimeout() {
        long reader = newUserId();
        long sender = newUserId();
        long conversation = ThreadLocalRandom.current().nextLong(1_000_000_000L, 2_000_000_000L);
        double tooSlowBefore = tooSlow();
        try (KafkaEvents kafka = new KafkaEvents(infrastructure);
                WsTestClient slow = connect(reader)) {
            ChatSession session = sessionOf(slow);

            slow.pause();
            stallWrites(kafka, session, conversation, sender, reader);
            assertThat(stuckEndPoints()).as("the socket whose write is stuck").isNotEmpty();

            await().atMost(Duration.ofSeconds(30)).until(() -> tooSlow() > tooSlowBefore);
            // The 4001 close waits behind the stuck write; when that has not moved for the container's write timeout
            // (2 x 5 s + the sweep here), the connection is aborted rather than kept open for a client that is gone.
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(stuckEndPoints()).isEmpty());
        }
    }

    /** The gateway's side of the client's connection, once the connection is in use. */
    private ChatSession sessionOf(WsTestClient client) {
        client.send("ping", Map.of());
        client.awaitFrame("pong");
        return sessions.find(client.frames("connected")
                        .get(0)
                        .data()
                        .path("session_id")
                        .asString())
                .orElseThrow();
    }

    /** The gateway's sockets with a write that has not completed. */
    private List<EndPoint> stuckEndPoints() {
        Server server = ((JettyWebServer) webServer.getWebServer()).getServer();
        return java.util.Arrays.stream(server.getConnectors())
                .flatMap(connector -> connector.getConnectedEndPoints().stream())
                .filter(endPoint -> endPoint.isOpen()
                        && endPoint instanceof AbstractEndPoint socket
                        && socket.getWriteFlusher().isPending())
                .toList();
    }

    private double tooSlow() {
        return meters.counter("chat.gateway.sessions.closed", "reason", "too_slow")
                .count();
    }

    private static boolean stuckForASecond(OutboundQueue outbound) {
        long since = outbound.inFlightSinceNanos();
        return since != 0 && System.nanoTime() - since > Duration.ofSeconds(1).toNanos();
    }

    private static MessageCreated message(long conversation, long seq, long sender, long receiver) {
        return new MessageCreated(
                UUID.randomUUID().toString(),
                conversation,
                ConversationKind.PRIVATE,
                seq,
                sender,
                List.of(sender, receiver),
                MessageType.TEXT,
                BULK,
                null,
                "bulk-" + conversation + "-" + seq,
                Instant.now(),
                null);
    }
}
