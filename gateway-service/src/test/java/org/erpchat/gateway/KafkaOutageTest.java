package org.erpchat.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.erpchat.gateway.support.Backends;
import org.erpchat.gateway.support.GatewayTest;
import org.erpchat.gateway.support.WsTestClient;
import org.erpchat.testsupport.ChatInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Client sends while Kafka is down: the socket stays responsive, every send is answered {@code unavailable} within the
 * send timeout (10 s by default), a client keeping to the documented rate is never penalised, the fault is logged once
 * rather than per send, and the same {@code client_msg_id}s succeed once Kafka is back.
 */
@ExtendWith(OutputCaptureExtension.class)
class KafkaOutageTest extends GatewayTest {

    private static final int SENDS = 10;

    @Autowired
    ChatInfrastructure infrastructure;

    @Test
    void sendsDuringAnOutageAreAnsweredUnavailableAndSucceedWhenRetriedAfterIt(CapturedOutput output) {
        long alice = newUserId();
        long bob = newUserId();
        Backends.get().provision(alice, bob);
        List<String> ids = IntStream.rangeClosed(1, SENDS)
                .mapToObj(i -> "outage-" + alice + "-" + i)
                .toList();
        ScheduledExecutorService client = Executors.newScheduledThreadPool(1);
        int logBefore = output.getAll().length();
        try (WsTestClient alicesClient = connect(alice)) {
            infrastructure.stopKafka();
            try {
                ids.forEach(id -> alicesClient.send("send_private_message", send(bob, id)));
                alicesClient.send("ping", Map.of());

                // The socket thread did not wait for Kafka: the ping, sent last, is answered first.
                alicesClient.awaitFrame("pong");
                List<String> events = alicesClient.frames().stream()
                        .map(WsTestClient.Frame::event)
                        .toList();
                assertThat(events.subList(0, events.indexOf("pong"))).doesNotContain("message_error", "message_sent");
                // From now on the client pings at a quarter of the documented rate, across the outage and recovery.
                client.scheduleAtFixedRate(() -> alicesClient.send("ping", Map.of()), 0, 400, TimeUnit.MILLISECONDS);

                List<WsTestClient.Frame> refused = alicesClient.awaitFrames(
                        "message_error", data -> ids.contains(clientMsgId(data)), SENDS, Duration.ofSeconds(60));
                assertThat(refused)
                        .allSatisfy(frame -> {
                            assertThat(frame.data().path("code").asString()).isEqualTo("unavailable");
                            assertThat(frame.data().path("receiver_id").asLong())
                                    .isEqualTo(bob);
                        })
                        .extracting(frame -> clientMsgId(frame.data()))
                        .containsExactlyInAnyOrderElementsOf(ids);
            } finally {
                infrastructure.startKafka();
            }

            // Retried with the same ids, a round every 3 s (at most SENDS frames), until each is acknowledged.
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            Map<String, Integer> answersSeen = new ConcurrentHashMap<>();
            client.scheduleWithFixedDelay(
                    () -> {
                        for (String id : ids) {
                            if (answers(alicesClient, "message_sent", id) > 0) {
                                acknowledged.add(id);
                                continue;
                            }
                            int answers = answers(alicesClient, "message_error", id);
                            // Retry only once the previous attempt was answered.
                            if (answers > answersSeen.getOrDefault(id, 0)) {
                                answersSeen.put(id, answers);
                                alicesClient.send("send_private_message", send(bob, id));
                            }
                        }
                    },
                    0,
                    3,
                    TimeUnit.SECONDS);
            await().atMost(Duration.ofMinutes(3)).until(() -> acknowledged.size() == SENDS);

            assertThat(alicesClient.frames("error"))
                    .extracting(frame -> frame.data().path("code").asString())
                    .doesNotContain("rate_limited");
            assertThat(alicesClient.frames("message_error"))
                    .extracting(frame -> frame.data().path("code").asString())
                    .containsOnly("unavailable");
            assertThat(alicesClient.isClosed()).isFalse();
        } finally {
            client.shutdownNow();
        }
        // The outage is one fault: a line when it started (then counts), never an ERROR with a trace per send.
        List<String> lines = output.getAll().substring(logBefore).lines().toList();
        assertThat(lines).noneMatch(line -> line.contains(" ERROR "));
        assertThat(lines.stream().filter(line -> line.contains("Publishing to Kafka failed")))
                .isNotEmpty()
                .hasSizeLessThan(SENDS);
    }

    private static int answers(WsTestClient client, String event, String clientMsgId) {
        return (int) client.frames(event).stream()
                .filter(frame -> clientMsgId(frame.data()).equals(clientMsgId))
                .count();
    }

    private static Map<String, Object> send(long receiver, String clientMsgId) {
        return Map.of("receiver_id", receiver, "content", "sent during an outage", "client_msg_id", clientMsgId);
    }

    private static String clientMsgId(tools.jackson.databind.JsonNode data) {
        return data.path("client_msg_id").asString();
    }
}
