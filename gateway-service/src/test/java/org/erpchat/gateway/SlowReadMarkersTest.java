package org.erpchat.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.erpchat.gateway.support.JsonBackend;
import org.erpchat.gateway.support.WsTestClient;
import org.erpchat.testsupport.TestTokens;
import org.erpchat.testsupport.WithRealInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A message-service that is slow for one kind of call must not hold up the others: read markers that wait for it fill
 * the gateway's shared task pool, yet a resume gets its first page (and contacts their load) at once, on threads of
 * their own. Both services are a real HTTP server here, which keeps every {@code mark_read} waiting until the test
 * lets it go and answers everything else at once.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "chat.security.jwt.secret=" + TestTokens.SECRET,
            "chat.gateway.instance-id=gateway-with-slow-read-markers",
            "chat.gateway.inbound.rate-per-second=1000",
            "chat.gateway.inbound.burst=1000",
            // The read markers wait until the test lets them go, not until the gateway gives up on them.
            "chat.gateway.message-service.read-timeout=60s"
        })
@WithRealInfrastructure
class SlowReadMarkersTest {

    /** More than the shared pool's 16 threads: the rest wait in its queue. */
    private static final int STUCK_READ_MARKERS = 40;

    private static final long READING_USER = 930_000_001L + System.nanoTime() % 1_000_000;
    private static final long RESUMING_USER = READING_USER + 1;

    private static final CountDownLatch readMarkersReleased = new CountDownLatch(1);
    private static final AtomicInteger readMarkersArrived = new AtomicInteger();
    private static final JsonBackend services = JsonBackend.startAnsweringConcurrently()
            .answer("/api/conversations/", () -> {
                readMarkersArrived.incrementAndGet();
                awaitRelease();
                return "{\"conversation_id\":1,\"read_seq\":1,\"unread_count\":0,\"moved\":false}";
            })
            .answer("/api/sync/batch", () -> """
                    {"results":[{"user_id":%d,"messages":[],"positions":{},"has_more":false}]}""".formatted(RESUMING_USER))
            .answer("/api/sync", "{\"messages\":[],\"positions\":{},\"has_more\":false}")
            .answer("/api/contacts/batch", "{\"results\":[]}")
            .answer("/api/presence/query", "[]");

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        registry.add("chat.gateway.message-service.base-url", services::url);
        registry.add("chat.gateway.presence-service.base-url", services::url);
    }

    @AfterAll
    static void stopServices() {
        readMarkersReleased.countDown();
        services.close();
    }

    @Test
    void aResumeIsAnsweredWhileReadMarkersWaitForMessageService() {
        try (WsTestClient reader = connect(READING_USER, "");
                WsTestClient resuming = connect(RESUMING_USER, "&resume=true")) {
            reader.awaitFrame("connected");
            for (int i = 0; i < STUCK_READ_MARKERS; i++) {
                reader.send("mark_read", Map.of("conversation_id", 1, "seq", 1));
            }
            // Every pool thread is taken by a mark_read that message-service keeps waiting.
            await().atMost(Duration.ofSeconds(30)).until(() -> readMarkersArrived.get() >= 16);

            resuming.awaitFrame("connected");
            resuming.send("resume", Map.of("positions", Map.of()));

            assertThat(resuming.awaitFrame("resume_result")
                            .data()
                            .path("complete")
                            .asBoolean())
                    .isTrue();
            // The pool's threads were all still taken: the first page did not wait for one of them.
            assertThat(readMarkersArrived.get()).isLessThan(STUCK_READ_MARKERS);
        } finally {
            readMarkersReleased.countDown();
        }
    }

    private WsTestClient connect(long user, String query) {
        return WsTestClient.connect(
                URI.create("ws://127.0.0.1:" + port + "/ws?token=" + TestTokens.forUser(user) + query));
    }

    private static void awaitRelease() {
        try {
            readMarkersReleased.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
