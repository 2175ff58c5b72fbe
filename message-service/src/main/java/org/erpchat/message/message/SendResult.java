package org.erpchat.message.message;

/**
 * The stored message, and whether this send stored it ({@code created}) or found it stored by an earlier send with the
 * same {@code client_msg_id}.
 */
public record SendResult(MessageView message, boolean created) {}
