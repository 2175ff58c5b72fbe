package org.erpchat.support.security;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import java.time.Duration;
import java.util.Map;
import org.erpchat.support.logging.FaultLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;

/**
 * A {@link JwtDecoder} that keeps a token it could not check apart from one it refused. Spring's decoder reports a
 * fault of the token as a {@link BadJwtException}, and its own failure, such as a key set it could not fetch (the key
 * server of an RS256 configuration refused the connection, timed out or answered 5xx), as a plain {@link JwtException}:
 * nothing is known about such a token, so callers answer "retry later", not "invalid token" (REST: 503, see
 * {@link ProblemAuthenticationFailureHandler}; the gateway: {@code unavailable}).
 *
 * <p>Two things happen on such a failure. It is logged once with a count ({@link FaultLog}), never with the token, and
 * the first token checked afterwards ends the fault in the log. And a token that would be refused whatever its
 * signature (expired, not yet valid, without an expiry, another issuer or audience, no user id) is refused as it
 * always is, from its claims read without a signature check: a client told to retry later would only retry a token that
 * can never pass. Those claims only ever refuse a token, never accept one.
 */
final class UncheckedTokens implements JwtDecoder {

    private static final Logger log = LoggerFactory.getLogger(UncheckedTokens.class);
    private static final MappedJwtClaimSetConverter CLAIMS = MappedJwtClaimSetConverter.withDefaults(Map.of());

    private final JwtDecoder decoder;
    private final OAuth2TokenValidator<Jwt> validator;
    private final FaultLog faults;

    /**
     * @param keys where the keys come from, as it should read in the log ("the JWK set at https://erp.example/jwks")
     */
    UncheckedTokens(JwtDecoder decoder, OAuth2TokenValidator<Jwt> validator, String keys, Duration logInterval) {
        this.decoder = decoder;
        this.validator = validator;
        this.faults = new FaultLog(log, "checking bearer tokens with " + keys, logInterval);
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt jwt;
        try {
            jwt = decoder.decode(token);
        } catch (BadJwtException e) {
            throw e;
        } catch (JwtException e) {
            // The exception names the key server and what went wrong with it, never the token.
            faults.failed(e);
            refuseByClaims(token);
            throw e;
        }
        faults.succeeded();
        return jwt;
    }

    /** Throws what the decoder would have thrown had it checked the signature, when the claims alone refuse it. */
    private void refuseByClaims(String token) {
        Jwt unverified;
        try {
            JWT parsed = JWTParser.parse(token);
            Map<String, Object> claims = CLAIMS.convert(parsed.getJWTClaimsSet().getClaims());
            Map<String, Object> headers = parsed.getHeader().toJSONObject();
            unverified = Jwt.withTokenValue(token)
                    .headers(h -> h.putAll(headers))
                    .claims(c -> c.putAll(claims))
                    .build();
        } catch (Exception e) {
            // The decoder had read the token before it needed a key; a claim set it could not have turned into a Jwt
            // (none at all, a time that is no time) it would have refused.
            throw new BadJwtException("An error occurred while attempting to decode the Jwt: Malformed payload", e);
        }
        OAuth2TokenValidatorResult result = validator.validate(unverified);
        if (result.hasErrors()) {
            throw new JwtValidationException(
                    "An error occurred while attempting to decode the Jwt: "
                            + result.getErrors().iterator().next().getDescription(),
                    result.getErrors());
        }
    }
}
