package org.erpchat.message.sync;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code POST /api/sync} paging.
 *
 * @param defaultLimit messages per page when the request gives no {@code limit}
 * @param maxLimit the largest {@code limit} a request may ask for
 * @param maxPositions the most conversations one request's {@code positions} may list
 */
@Validated
@ConfigurationProperties("chat.message.sync")
record SyncProperties(
        @Min(1) @DefaultValue("500") int defaultLimit,
        @Min(1) @DefaultValue("1000") int maxLimit,
        @Min(1) @DefaultValue("100000") int maxPositions) {}
