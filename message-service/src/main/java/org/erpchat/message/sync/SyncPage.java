package org.erpchat.message.sync;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import org.erpchat.message.message.MessageStore;
import org.erpchat.message.message.MessageView;

/**
 * One page of a sync: the messages, the request's positions advanced past them (send them back for the next page),
 * and whether more remain. A position beyond its conversation's last {@code seq} is brought back to it (or, with
 * {@code as_of}, below it: then more remain).
 */
record SyncPage(
        @Schema(requiredMode = REQUIRED) List<MessageView> messages,

        @Schema(
                requiredMode = REQUIRED,
                description = "the request's positions (conversation id to the last seq seen), advanced past"
                        + " the page: send them back while `has_more` is true")
        Map<Long, Long> positions,

        @Schema(requiredMode = REQUIRED) boolean hasMore) {

    /** The page, with {@code from} (the request's positions, modifiable) advanced past its messages. */
    static SyncPage of(Map<Long, Long> from, MessageStore.Page page) {
        for (MessageView message : page.messages()) {
            from.merge(message.conversationId(), message.seq(), Math::max);
        }
        from.putAll(page.ends());
        return new SyncPage(page.messages(), from, page.hasMore());
    }
}
