package org.erpchat.support.security;

import java.util.Optional;
import org.springframework.security.oauth2.jwt.Jwt;

/** Reads the user id and display name out of a validated token, as configured in {@link JwtProperties}. */
public final class UserIdClaim {

    private final String userIdClaim;
    private final String nameClaim;

    public UserIdClaim(JwtProperties properties) {
        this.userIdClaim = properties.userIdClaim();
        this.nameClaim = properties.nameClaim();
    }

    /** The user id, when the claim holds a positive integer (as a JSON number or a string of digits). */
    public Optional<Long> userId(Jwt jwt) {
        Object value = jwt.getClaims().get(userIdClaim);
        if (value instanceof Number number && number.doubleValue() == number.longValue()) {
            return positive(number.longValue());
        }
        if (value instanceof String text && text.matches("\\d{1,18}")) {
            return positive(Long.parseLong(text));
        }
        return Optional.empty();
    }

    public AuthenticatedUser user(Jwt jwt) {
        long id = userId(jwt)
                .orElseThrow(() -> new IllegalArgumentException("token has no valid " + userIdClaim + " claim"));
        return new AuthenticatedUser(id, jwt.getClaimAsString(nameClaim));
    }

    public String claimName() {
        return userIdClaim;
    }

    private static Optional<Long> positive(long id) {
        return id > 0 ? Optional.of(id) : Optional.empty();
    }
}
