package org.erpchat.message.conversation;

import java.time.Instant;

/** A participant of a conversation. */
public record Member(long userId, MemberRole role, long readSeq, Instant joinedAt) {}
