package org.erpchat.message.message;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.erpchat.message.conversation.ConversationStore;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Bounds on the transaction that stores a send (REST and commands alike), so that a stuck lock or a stuck statement
 * fails the send (503 for REST; a retried, then parked, command) instead of stalling it, and the commands behind it,
 * without end.
 *
 * @param lockTimeout longest wait for a lock, above all the conversation row's ({@code SET LOCAL lock_timeout}); sends
 *     of one conversation queue on that lock for milliseconds each
 * @param statementTimeout longest any one statement of the transaction may take ({@code SET LOCAL statement_timeout})
 * @param rateLimitWait longest the transaction waits, holding the conversation's lock, for the rate limit's answer
 *     once its statements are done (the answer normally comes while they run); after that it rolls back, and the send
 *     is stored again once the answer is in, so a slow Redis never holds a conversation's lock for long
 */
@Validated
@ConfigurationProperties("chat.message.send")
record SendTransactionProperties(
        @NotNull @DefaultValue("2s") Duration lockTimeout,
        @NotNull @DefaultValue("5s") Duration statementTimeout,
        @NotNull @DefaultValue("20ms") Duration rateLimitWait) {

    /** The bounds as the settings text the store statements set. */
    ConversationStore.WaitBounds waitBounds() {
        return new ConversationStore.WaitBounds(lockTimeout.toMillis() + "ms", statementTimeout.toMillis() + "ms");
    }
}
