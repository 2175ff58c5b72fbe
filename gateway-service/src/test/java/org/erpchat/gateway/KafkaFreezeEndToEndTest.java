package org.erpchat.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.erpchat.gateway.support.Backends;
import org.erpchat.gateway.support.GatewayTest;
import org.erpchat.gateway.support.WsTestClient;
import org.erpchat.testsupport.ChatInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * The whole stack (this gateway, message-service and presence-service processes) while the Kafka broker is frozen
 * with SIGSTOP for a minute, the outage that used to leave sends unanswered, take every user offline and flood the
 * logs. A client keeps chatting at a steady pace through it. Nothing it was told is stored gets lost, it is never
 * penalised for the server's stall, nobody is announced offline, and sends flow again within seconds of the thaw.
 */
@ExtendWith(OutputCaptureExtension.class)
class KafkaFreezeEndToEndTest extends GatewayTest {

    private static final Duration FREEZE = Duration.ofSeconds(60);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);
    private static final Path BACKEND_LOGS = Path.of("target", "backend-logs");
    private static final Logger log = LoggerFactory.getLogger(KafkaFreezeEndToEndTest.class);

    @Autowired
    ChatInfrastructure infrastructure;

    private final Backends backends = Backends.get();

    @Test
    void aMinuteOfFrozenKafkaLosesNothingPunishesNobodyTakesNobodyOfflineAndEndsWithinSeconds(CapturedOutput output)
            throws Exception {
        long alice = newUserId();
        long bob = newUserId();
        backends.provision(alice, bob);
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        try (WsTestClient alicesClient = connect(alice);
                WsTestClient bobsClient = connect(bob)) {
            // A first message makes them contacts: each would be told if the other went offline.
            alicesClient.send("send_private_message", send(bob, "f-" + alice + "-0"));
            bobsClient.awaitFrame("private_message");
            int logFrom = output.getAll().length();
            Map<Path, Long> backendLogFrom = backendLogSizes();

            List<String> sentDuringFreeze = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicInteger pings = new AtomicInteger();
            infrastructure.freezeKafka();
            try {
                // One send and one ping every 2 s: a tenth of the documented frame rate.
                pacer.scheduleAtFixedRate(
                        () -> {
                            String id = "f-" + alice + "-" + (sentDuringFreeze.size() + 1);
                            sentDuringFreeze.add(id);
                            alicesClient.send("send_private_message", send(bob, id));
                            alicesClient.send("ping", Map.of());
                            pings.incrementAndGet();
                        },
                        0,
                        2,
                        TimeUnit.SECONDS);
                await().during(FREEZE).atMost(FREEZE.plusSeconds(15)).untilAsserted(() -> {
                    assertThat(alicesClient.isClosed()).isFalse();
                    assertThat(bobsClient.isClosed()).isFalse();
                    assertNoOfflineNotices(alicesClient, bobsClient, alice, bob);
                });
                pacer.shutdownNow();
                pacer.awaitTermination(10, TimeUnit.SECONDS);
                // The socket thread never waited for Kafka: every ping was answered during the freeze.
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> alicesClient.frames("pong").size() == pings.get());
                // Every send older than the send timeout was answered while Kafka was still frozen.
                List<String> due = List.copyOf(
                        sentDuringFreeze.subList(0, sentDuringFreeze.size() - (int) SEND_TIMEOUT.toSeconds() / 2 - 2));
                assertThat(due)
                        .allSatisfy(id -> assertThat(answers(alicesClient, id))
                                .as("answers to %s", id)
                                .isNotEmpty());
            } finally {
                infrastructure.thawKafka();
            }

            // Within seconds of the thaw a new send is stored and acknowledged again.
            long thawed = System.nanoTime();
            String afterThaw = "f-" + alice + "-after";
            alicesClient.send("send_private_message", send(bob, afterThaw));
            await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged(alicesClient, afterThaw));
            log.info("A send made at the thaw was acknowledged {} ms later", (System.nanoTime() - thawed) / 1_000_000);

            // Sends answered "unavailable" are retried with the same client_msg_id and stored once each.
            Set<String> retried = ConcurrentHashMap.newKeySet();
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        for (String id : List.copyOf(sentDuringFreeze)) {
                            if (!acknowledged(alicesClient, id)
                                    && !answers(alicesClient, id).isEmpty()
                                    && retried.add(id)) {
                                alicesClient.send("send_private_message", send(bob, id));
                            }
                        }
                        return sentDuringFreeze.stream().allMatch(id -> acknowledged(alicesClient, id));
                    });
            List<String> everyId = new ArrayList<>(sentDuringFreeze);
            everyId.add(afterThaw);
            List<JsonNode> received =
                    bobsClient
                            .awaitFrames("private_message", data -> true, everyId.size() + 1, Duration.ofSeconds(60))
                            .stream()
                            .map(WsTestClient.Frame::data)
                            .toList();
            assertThat(received)
                    .extracting(message -> message.path("client_msg_id").asString())
                    .doesNotHaveDuplicates()
                    .containsAll(everyId);
            assertThat(received)
                    .extracting(message -> message.path("seq").asLong())
                    .isSorted()
                    .doesNotHaveDuplicates();

            // Presence held through it all, and the client was never treated as abusive.
            await().during(Duration.ofSeconds(20))
                    .atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertNoOfflineNotices(alicesClient, bobsClient, alice, bob));
            assertThat(alicesClient.frames("error")).isEmpty();
            assertThat(alicesClient.frames("message_error"))
                    .extracting(frame -> frame.data().path("code").asString())
                    .containsOnly("unavailable");
            assertThat(alicesClient.isClosed()).isFalse();

            // One fault, told once with a count: no ERROR line from the gateway or from our code in the services.
            assertThat(output.getAll().substring(logFrom).lines()).noneMatch(line -> line.contains(" ERROR "));
            assertThat(newBackendLogLines(backendLogFrom))
                    .noneMatch(line -> line.contains(" ERROR ") && line.contains(" o.e."));
        } finally {
            pacer.shutdownNow();
        }
    }

    private static Map<String, Object> send(long receiver, String clientMsgId) {
        return Map.of("receiver_id", receiver, "content", "sent " + clientMsgId, "client_msg_id", clientMsgId);
    }

    private static List<String> answers(WsTestClient client, String clientMsgId) {
        return client.frames().stream()
                .filter(frame ->
                        frame.event().equals("message_sent") || frame.event().equals("message_error"))
                .filter(frame -> frame.data().path("client_msg_id").asString().equals(clientMsgId))
                .map(WsTestClient.Frame::event)
                .toList();
    }

    private static boolean acknowledged(WsTestClient client, String clientMsgId) {
        return answers(client, clientMsgId).contains("message_sent");
    }

    /** Fails naming the notices (with their last_seen), so a failure in CI says when presence gave up on whom. */
    private static void assertNoOfflineNotices(
            WsTestClient alicesClient, WsTestClient bobsClient, long alice, long bob) {
        assertThat(offlineNotices(bobsClient, alice))
                .as("bob told alice is offline")
                .isEmpty();
        assertThat(offlineNotices(alicesClient, bob))
                .as("alice told bob is offline")
                .isEmpty();
    }

    private static List<JsonNode> offlineNotices(WsTestClient client, long about) {
        return client.frames("user_online_status").stream()
                .map(WsTestClient.Frame::data)
                .filter(data -> data.path("user_id").asLong() == about)
                .filter(data -> !data.path("is_online").asBoolean())
                .toList();
    }

    private static Map<Path, Long> backendLogSizes() throws Exception {
        Map<Path, Long> sizes = new ConcurrentHashMap<>();
        try (Stream<Path> logs = Files.list(BACKEND_LOGS)) {
            for (Path log : logs.toList()) {
                sizes.put(log, Files.size(log));
            }
        }
        return sizes;
    }

    private static List<String> newBackendLogLines(Map<Path, Long> from) throws Exception {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<Path, Long> log : from.entrySet()) {
            byte[] all = Files.readAllBytes(log.getKey());
            int start = (int) Math.min(log.getValue(), all.length);
            lines.addAll(new String(all, start, all.length - start, java.nio.charset.StandardCharsets.UTF_8)
                    .lines()
                    .toList());
        }
        return lines;
    }
}
