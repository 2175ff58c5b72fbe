package org.erpchat.message.message;

import java.time.Duration;
import org.erpchat.events.RejectReason;

/**
 * A send was refused. REST answers it as a problem detail, the command consumer as a {@code MessageRejected}. The
 * detail never reveals anything about conversations the sender is not part of. A group creation over its per-user
 * bound is refused with it too ({@link RejectReason#RATE_LIMITED}), so that both limits answer 429 alike.
 */
public class SendRejectedException extends RuntimeException {

    private final RejectReason reason;
    private final Duration retryAfter;

    public SendRejectedException(RejectReason reason, String detail) {
        this(reason, detail, null);
    }

    public SendRejectedException(RejectReason reason, String detail, Duration retryAfter) {
        super(detail, null, false, false);
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    public RejectReason reason() {
        return reason;
    }

    /** For {@link RejectReason#RATE_LIMITED}: when the sender may try again. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public String detail() {
        return getMessage();
    }
}
