package org.erpchat.message.inbox;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Paging of {@code GET /api/conversations}.
 *
 * @param defaultLimit conversations per page when the request gives no {@code limit}
 * @param maxLimit the largest {@code limit} a request may ask for
 */
@Validated
@ConfigurationProperties("chat.message.conversations")
record InboxProperties(
        @Min(1) @DefaultValue("50") int defaultLimit,
        @Min(1) @DefaultValue("200") int maxLimit) {}
