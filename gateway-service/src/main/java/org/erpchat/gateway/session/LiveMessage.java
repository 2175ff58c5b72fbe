package org.erpchat.gateway.session;

import java.time.Instant;
import org.erpchat.gateway.protocol.PreparedMessage;

/**
 * A message as it arrived from Kafka, for the sessions it goes to: one for all its recipients' sessions, and one for
 * the session that sent it, whose frame is the acknowledgement.
 */
public final class LiveMessage {

    private final PreparedMessage message;
    private final boolean ack;
    private final Instant createdAt;
    private final int timedOneIn;
    /**
     * The frame every session that gets this message queues, made by the first and then shared: a message to 1,000
     * sessions made 1,000 of them before. Two lanes that both make it make equal ones, so no lock is needed.
     */
    private volatile OutboundFrame frame;

    /**
     * @param message the message
     * @param ack for the session that sent it: it gets {@code message_sent} (the acknowledgement) rather than the
     *     delivery event
     * @param createdAt when message-service stored it, for the delivery latency metric
     * @param timedOneIn the delivery latency metric times one of its deliveries in this many
     */
    public LiveMessage(PreparedMessage message, boolean ack, Instant createdAt, int timedOneIn) {
        this.message = message;
        this.ack = ack;
        this.createdAt = createdAt;
        this.timedOneIn = timedOneIn;
    }

    /** A message each of whose deliveries is timed. */
    public LiveMessage(PreparedMessage message, boolean ack, Instant createdAt) {
        this(message, ack, createdAt, 1);
    }

    public PreparedMessage message() {
        return message;
    }

    public boolean ack() {
        return ack;
    }

    public Instant createdAt() {
        return createdAt;
    }

    OutboundFrame frame() {
        OutboundFrame made = frame;
        if (made == null) {
            made = new OutboundFrame(ack ? message.ackFrame() : message.deliveryFrame(), false, createdAt, timedOneIn);
            frame = made;
        }
        return made;
    }
}
