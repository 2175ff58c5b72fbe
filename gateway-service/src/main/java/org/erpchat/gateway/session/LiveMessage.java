package org.erpchat.gateway.session;

import java.time.Instant;
import org.erpchat.gateway.protocol.PreparedMessage;

/**
 * A message as it arrived from Kafka for one session.
 *
 * @param message the message
 * @param ack this session sent it: it gets {@code message_sent} (the acknowledgement) rather than the delivery event
 * @param createdAt when message-service stored it, for the delivery latency metric
 */
public record LiveMessage(PreparedMessage message, boolean ack, Instant createdAt) {}
