package org.erpchat.message.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import org.erpchat.message.Api;
import org.erpchat.message.MessageServiceApplication;
import org.erpchat.message.MessageServiceTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A freshly started instance enforces the rate limit from its very first send: the limiter connects to Redis and
 * warms up before the service takes any traffic, instead of connecting (and running cold code against a 500 ms
 * budget) inside the first sends, which then went through unchecked while Redis was healthy.
 */
class RateLimiterStartupTest extends MessageServiceTest {

    @Test
    void aNewInstanceEnforcesTheLimitFromItsFirstSend() {
        Map<String, String> settings = new HashMap<>(infrastructure.springProperties());
        settings.put("server.port", "0");
        // Only the web side: this second instance must not take Kafka partitions or outbox rows from the first.
        settings.put("spring.kafka.listener.auto-startup", "false");
        settings.put("chat.message.outbox.enabled", "false");
        settings.put("chat.kafka.topics.create", "false");
        settings.put("spring.datasource.hikari.maximum-pool-size", "4");
        // As command-line arguments: they override application.yml, default properties would not.
        String[] arguments = settings.entrySet().stream()
                .map(setting -> "--" + setting.getKey() + "=" + setting.getValue())
                .toArray(String[]::new);
        try (ConfigurableApplicationContext instance = new SpringApplicationBuilder(MessageServiceApplication.class)
                .profiles("test")
                .run(arguments)) {
            // Before any send: connected (and warmed up) during startup.
            assertThat(instance.getBean(RedisSendRateLimiter.class).connected()).isTrue();

            Api fresh = new Api(
                    ((WebServerApplicationContext) instance).getWebServer().getPort());
            long alice = newUserId();
            long bob = newUserId();
            assertThat(fresh.as(alice).get("/api/users/me").status()).isEqualTo(200);
            assertThat(fresh.as(bob).get("/api/users/me").status()).isEqualTo(200);
            RateLimitProperties limits = instance.getBean(RateLimitProperties.class);
            for (int i = 0; i < limits.capacity(); i++) {
                Api.Response sent =
                        fresh.as(alice).post("/api/messages/private", Api.body("receiver_id", bob, "content", "m" + i));
                assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
            }
            Api.Response over = fresh.as(alice)
                    .post("/api/messages/private", Api.body("receiver_id", bob, "content", "one too many"));
            assertThat(over.status()).as(over.toString()).isEqualTo(429);
            assertThat(instance.getBean(MeterRegistry.class)
                            .counter("chat.ratelimit.unavailable")
                            .count())
                    .isZero();
        }
    }
}
