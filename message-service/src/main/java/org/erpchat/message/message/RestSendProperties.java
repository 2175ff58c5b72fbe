package org.erpchat.message.message;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How REST sends that arrive together are stored together ({@link RestSends}).
 *
 * @param lanes threads storing REST sends that queued while others were stored; few, for the reason given for
 *     {@code chat.message.commands.lanes}. Each holds a database connection while it stores (keep
 *     {@code spring.datasource.hikari.maximum-pool-size} above this plus {@code chat.message.commands.lanes})
 * @param maxBatch the most REST sends stored in one transaction
 */
@Validated
@ConfigurationProperties("chat.message.rest-sends")
record RestSendProperties(
        @Min(1) @Max(256) @DefaultValue("2") int lanes,
        @Min(1) @Max(1000) @DefaultValue("64") int maxBatch) {}
