package org.erpchat.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.erpchat.localstack.TestStacks.devToken;
import static org.erpchat.localstack.TestStacks.get;
import static org.erpchat.localstack.TestStacks.json;
import static org.erpchat.localstack.TestStacks.post;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Data lives in the data directory: stop the stack, start it again on the same directory, and it is all there. */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class LocalStackRestartTest {

    @TempDir
    Path dataDir;

    @Test
    void aMessageSentBeforeAStopIsInTheHistoryAfterTheNextStart() throws Exception {
        LocalStackSettings settings = TestStacks.settings(dataDir);
        String aliceToken;
        String messageId;
        try (LocalStack stack = new LocalStack(settings)) {
            TestStacks.start(stack, settings);
            aliceToken = devToken(stack, 1, "Alice");
            String bobToken = devToken(stack, 2, "Bob");
            assertThat(get(stack.messageServiceUrl() + "/api/users/me", bobToken)
                            .statusCode())
                    .isEqualTo(200);

            HttpResponse<String> sent = post(
                    stack.messageServiceUrl() + "/api/messages/private",
                    aliceToken,
                    Map.of("receiver_id", 2, "content", "still here after a restart", "client_msg_id", "restart-1"));

            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
            messageId = json(sent.body()).get("id").asString();
        }

        try (LocalStack stack = new LocalStack(settings)) {
            TestStacks.start(stack, settings);
            // The development secret is kept in the data directory too: yesterday's token still works.
            HttpResponse<String> conversation =
                    get(stack.messageServiceUrl() + "/api/conversations/private/2", aliceToken);
            assertThat(conversation.statusCode()).as(conversation.body()).isEqualTo(200);
            long conversationId = json(conversation.body()).get("id").asLong();
            HttpResponse<String> history = get(
                    stack.messageServiceUrl() + "/api/conversations/" + conversationId + "/messages",
                    devToken(stack, 2, "Bob"));

            assertThat(history.statusCode()).as(history.body()).isEqualTo(200);
            JsonNode messages = json(history.body()).get("messages");
            assertThat(messages).hasSize(1);
            assertThat(messages.get(0).get("id").asString()).isEqualTo(messageId);
            assertThat(messages.get(0).get("content").asString()).isEqualTo("still here after a restart");
            assertThat(messages.get(0).get("seq").asLong()).isEqualTo(1);
        }
    }
}
