package org.erpchat.message.sync;

import java.util.List;
import java.util.Map;
import org.erpchat.message.message.MessageStore;
import org.erpchat.message.message.MessageView;

/**
 * One page of a sync: the messages, the request's positions advanced past them (send them back for the next page),
 * and whether more remain. A position beyond its conversation's last {@code seq} is brought back to it (or, with
 * {@code as_of}, below it: then more remain).
 */
record SyncPage(List<MessageView> messages, Map<Long, Long> positions, boolean hasMore) {

    /** The page, with {@code from} (the request's positions, modifiable) advanced past its messages. */
    static SyncPage of(Map<Long, Long> from, MessageStore.Page page) {
        for (MessageView message : page.messages()) {
            from.merge(message.conversationId(), message.seq(), Math::max);
        }
        from.putAll(page.ends());
        return new SyncPage(page.messages(), from, page.hasMore());
    }
}
