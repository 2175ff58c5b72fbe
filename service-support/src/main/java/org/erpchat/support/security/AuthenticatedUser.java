package org.erpchat.support.security;

/**
 * The user a request or connection acts for, taken from a validated token and never from a request body.
 *
 * @param id the positive integer user id from the configured claim
 * @param displayName the name claim, or {@code null} when the token has none
 */
public record AuthenticatedUser(long id, String displayName) {

    public AuthenticatedUser {
        if (id <= 0) {
            throw new IllegalArgumentException("user id must be positive");
        }
    }
}
