package org.erpchat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.erpchat.gateway.support.Backends;
import org.erpchat.gateway.support.GatewayTest;
import org.erpchat.gateway.support.WsTestClient;
import org.erpchat.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * One user floods the gateway with text that cannot be stored (NUL characters, unpaired surrogates) while ten others
 * chat normally, through the whole stack. The flood is refused at the edge, costs the others nothing, stores nothing
 * and logs no error.
 */
@ExtendWith(OutputCaptureExtension.class)
class PoisonFloodEndToEndTest extends GatewayTest {

    private static final int SENDERS = 10;
    private static final int SENDS_EACH = 5;
    private static final int POISON_SENDS = 40;

    private final Backends backends = Backends.get();

    @Test
    void aPoisonFloodIsRefusedAtTheEdgeWhileTenOtherUsersSendNormally(CapturedOutput output) throws Exception {
        long poisoner = newUserId();
        long target = newUserId();
        backends.provision(poisoner, target);
        List<Long> senders = new ArrayList<>();
        List<WsTestClient> clients = new ArrayList<>();
        ScheduledExecutorService flood = Executors.newSingleThreadScheduledExecutor();
        int logFrom = output.getAll().length();
        try (WsTestClient poison = connect(poisoner);
                WsTestClient receiver = connect(target)) {
            for (int i = 0; i < SENDERS; i++) {
                long sender = newUserId();
                backends.provision(sender);
                senders.add(sender);
                clients.add(connect(sender));
            }
            // Poison at a steady 8 frames per second, under the per-connection limit: only its content is wrong.
            flood.scheduleAtFixedRate(
                    new Runnable() {
                        private int sent;

                        @Override
                        public void run() {
                            if (sent < POISON_SENDS) {
                                String content = sent % 2 == 0 ? "nul\\u0000byte" : "lone \\ud800 surrogate";
                                poison.sendRaw("{\"event\":\"send_private_message\",\"data\":{\"receiver_id\":"
                                        + target + ",\"content\":\"" + content + "\",\"client_msg_id\":\"p-" + sent++
                                        + "\"}}");
                            }
                        }
                    },
                    0,
                    125,
                    TimeUnit.MILLISECONDS);
            for (int round = 1; round <= SENDS_EACH; round++) {
                for (int i = 0; i < SENDERS; i++) {
                    clients.get(i)
                            .send(
                                    "send_private_message",
                                    Map.of(
                                            "receiver_id",
                                            target,
                                            "content",
                                            "hello " + round,
                                            "client_msg_id",
                                            "n-" + senders.get(i) + "-" + round));
                }
            }

            for (WsTestClient client : clients) {
                assertThat(client.awaitFrames("message_sent", data -> true, SENDS_EACH, Duration.ofSeconds(30)))
                        .hasSize(SENDS_EACH);
                assertThat(client.frames("message_error")).isEmpty();
            }
            receiver.awaitFrames("private_message", data -> true, SENDERS * SENDS_EACH, Duration.ofSeconds(30));
            assertThat(poison.awaitFrames("message_error", data -> true, POISON_SENDS, Duration.ofSeconds(30)))
                    .allSatisfy(frame ->
                            assertThat(frame.data().path("code").asString()).isEqualTo("invalid_message"));
            assertThat(poison.frames("message_sent")).isEmpty();
            assertThat(poison.frames("error")).isEmpty();
            assertThat(poison.isClosed()).isFalse();
        } finally {
            flood.shutdownNow();
            clients.forEach(WsTestClient::close);
        }
        // Nothing was stored for the poisoner: message-service has no conversation of theirs.
        assertThat(backends.call("GET", "/api/conversations", TestTokens.forUser(poisoner), null)
                        .path("conversations"))
                .isEmpty();
        assertThat(output.getAll().substring(logFrom).lines()).noneMatch(line -> line.contains(" ERROR "));
    }
}
