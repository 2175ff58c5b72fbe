package org.erpchat.message.user;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the service records the users it hears of.
 *
 * @param seenCacheSize how many recently seen callers each instance remembers, so that a request from a known caller
 *     whose name did not change writes nothing
 * @param seenCacheTtl how long a remembered caller stays remembered; after that its next request checks the database
 *     again (which picks up a name the ERP provisioned meanwhile)
 * @param maxLookupIds the most ids one {@code GET /api/users?ids=} may ask for
 */
@Validated
@ConfigurationProperties("chat.message.users")
record UserProperties(
        @Min(0) @DefaultValue("100000") long seenCacheSize,
        @NotNull @DefaultValue("10m") Duration seenCacheTtl,
        @Min(1) @DefaultValue("500") int maxLookupIds) {}
