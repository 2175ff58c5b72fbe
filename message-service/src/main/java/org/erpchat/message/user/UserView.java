package org.erpchat.message.user;

/** A user as the API shows it. */
public record UserView(long id, String displayName) {

    static UserView of(ChatUser user) {
        return new UserView(user.id(), user.displayName());
    }
}
