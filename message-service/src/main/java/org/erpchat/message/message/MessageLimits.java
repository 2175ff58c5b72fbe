package org.erpchat.message.message;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits on what a send may carry, the same for REST and Kafka commands. The {@code client_msg_id} has no setting: it
 * follows {@code SendRules}, the rule the gateway applies too, so that a retry valid on one path is valid on the other.
 *
 * @param maxContentLength the longest content, in Unicode code points (so an emoji counts once); at most 100,000, so
 *     that the content of a message's event takes at most 600 KB of Kafka's 1 MB message limit even when every
 *     character is escaped in its JSON (six bytes each), leaving the rest to its recipient list
 * @param maxFileIdLength the longest {@code file_id} (an opaque reference into the ERP's file store)
 * @param historyDefaultLimit messages per history page when the request gives no {@code limit}
 * @param historyMaxLimit the largest {@code limit} a history request may ask for
 */
@Validated
@ConfigurationProperties("chat.message.limits")
record MessageLimits(
        @Min(1) @Max(100_000) @DefaultValue("4000") int maxContentLength,
        @Min(1) @Max(255) @DefaultValue("255") int maxFileIdLength,
        @Min(1) @DefaultValue("50") int historyDefaultLimit,
        @Min(1) @DefaultValue("200") int historyMaxLimit) {}
