package org.erpchat.message.group;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Paging of {@code GET /api/groups}. Each group comes with its members (up to {@code groups.max-members}), so pages
 * are smaller than the inbox's.
 *
 * @param defaultLimit groups per page when the request gives no {@code limit}
 * @param maxLimit the largest {@code limit} a request may ask for
 */
@Validated
@ConfigurationProperties("chat.message.groups.list")
record GroupListProperties(
        @Min(1) @DefaultValue("20") int defaultLimit,
        @Min(1) @DefaultValue("100") int maxLimit) {

    @AssertTrue(message = "default-limit must be at most max-limit")
    public boolean isDefaultWithinMax() {
        return defaultLimit <= maxLimit;
    }
}
