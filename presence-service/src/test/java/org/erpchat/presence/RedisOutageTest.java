package org.erpchat.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.erpchat.testsupport.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Redis goes away for a while: connection events wait (retried, not dropped) and the service keeps running. */
@ExtendWith(OutputCaptureExtension.class)
class RedisOutageTest extends PresenceIntegrationTest {

    @Autowired
    private MeterRegistry meters;

    private boolean redisStopped;

    @AfterEach
    void restartRedis() {
        if (redisStopped) {
            infrastructure.startRedis();
        }
    }

    @Test
    void eventsConsumedDuringARedisOutageAreRetriedUntilRedisIsBack(CapturedOutput output) {
        int logStart = output.getAll().length();
        long user = newId();
        double failuresBefore =
                meters.counter("chat.presence.connection.events.failed").count();

        double opensBefore = opensApplied();
        try (FakeGateway gateway = FakeGateway.live()) {
            infrastructure.stopRedis();
            redisStopped = true;
            gateway.open(user);

            // The record fails (and is retried with back-off) while Redis is away; the instance is not ready meanwhile.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> meters.counter("chat.presence.connection.events.failed")
                                    .count()
                            > failuresBefore);
            assertThat(RestCalls.get(port, "/actuator/health/readiness", null).status())
                    .isEqualTo(503);
            for (int i = 0; i < 3; i++) {
                RestCalls.Response lookup = RestCalls.get(port, "/api/presence/" + user, TestTokens.forUser(user));
                assertThat(lookup.status()).isEqualTo(503);
                assertThat(lookup.contentType()).startsWith("application/problem+json");
                assertThat(lookup.body().get("code").asString()).isEqualTo("unavailable");
            }
            assertThat(RestCalls.get(port, "/actuator/health/liveness", null).status())
                    .isEqualTo(200);

            infrastructure.startRedis();
            redisStopped = false;

            // The open is retried until Redis takes it (applied, or stale once the outage outlasted a session TTL);
            // online again from the open or from the gateway's first fresh heartbeat.
            await().until(() -> opensApplied() > opensBefore);
            awaitStates(user, true);
            await().until(() -> isOnlineInRedis(user));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> RestCalls.get(port, "/actuator/health/readiness", null)
                                    .status()
                            == 200);

            // The REST outage is an expected fault: one WARN when it starts, one line when it ends, no ERROR, no trace.
            assertThat(RestCalls.get(port, "/api/presence/" + user, TestTokens.forUser(user))
                            .status())
                    .isEqualTo(200);
            String logged = output.getAll().substring(logStart);
            assertThat(logged.lines()
                            .filter(line -> line.contains("Answering API requests") && line.contains(" failed")))
                    .hasSize(1);
            assertThat(logged)
                    .contains("Answering API requests (a store the service needs is unreachable) works again");
            assertThat(logged.lines()
                            .filter(line -> line.contains(" ERROR ") && line.contains("ProblemExceptionHandler")))
                    .isEmpty();
        }
    }

    /** Opens the listener got through, whatever they did (a failed attempt is not counted). */
    private double opensApplied() {
        return meters.find("chat.presence.connection.events").tag("type", "ConnectionOpened").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }
}
