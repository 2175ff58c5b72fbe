package org.erpchat.message.sync;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code POST /api/sync} paging.
 *
 * @param defaultLimit messages per page when the request gives no {@code limit}
 * @param maxLimit the largest {@code limit} a request may ask for
 * @param maxPositions the most conversations one request's {@code positions} may list; at most 100,000 (two JSON
 *     tokens each, and a body is read up to 250,000: {@code spring.jackson.factory.constraints.read.max-token-count})
 * @param batchMaxMessages the most messages one {@code POST /api/sync/batch} reads for all its users together; past it,
 *     each user's page is cut in proportion (and says {@code has_more}), so that a small request cannot make the
 *     service read hundreds of pages at once. The gateways' batches (100 first pages of 200) stay under it
 */
@Validated
@ConfigurationProperties("chat.message.sync")
record SyncProperties(
        @Min(1) @DefaultValue("500") int defaultLimit,
        @Min(1) @DefaultValue("1000") int maxLimit,
        @Min(1) @Max(100_000) @DefaultValue("100000") int maxPositions,
        @Min(1) @DefaultValue("20000") int batchMaxMessages) {}
