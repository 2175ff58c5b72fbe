package org.erpchat.message.user;

/** A user as the API shows it. */
public record UserView(long id, String displayName) {}
