package org.erpchat.message.inbox;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.erpchat.message.user.TokenHolders;
import org.erpchat.support.security.AuthenticatedUser;
import org.erpchat.support.web.ApiException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The contacts of many users in one call: a gateway whose users all connect at once (a company in the morning, every
 * client of a restarted gateway) asks for them in a few requests rather than one per user. Each user is named by their
 * own token, checked here exactly as a bearer token is, so the answer holds nothing that the users could not ask for
 * themselves with {@code GET /api/contacts}; a token that does not pass gets {@code token_rejected} in its place, one
 * that could not be checked (the key server did not answer) {@code unavailable}, and neither costs the others anything.
 * The request itself needs a valid token as well.
 */
@RestController
@Tag(name = "conversations")
class ContactsBatchController {

    /** More tokens than this in one request are refused: the gateway sends chunks of 500. */
    static final int MAX_TOKENS = 1000;

    record ContactsBatchRequest(
            @ArraySchema(
                    arraySchema = @Schema(requiredMode = REQUIRED, description = "the users' own bearer tokens"),
                    minItems = 1,
                    maxItems = MAX_TOKENS)
            List<String> tokens,

            @Schema(nullable = true, minimum = "1", description = "as in `GET /api/contacts`")
            Integer maxGroupSize) {}

    /**
     * One answer per token, in the request's order: the user and their contacts ({@code user_id, user_ids}), or an
     * error code ({@code error}); each holds exactly the fields of its alternative.
     */
    @Schema(
            name = "UserContactsResult",
            oneOf = {UserContacts.Found.class, UserContacts.Failed.class})
    sealed interface UserContacts {

        UserContacts REJECTED = new Failed("token_rejected");
        UserContacts UNCHECKED = new Failed("unavailable");

        @Schema(name = "UserContacts")
        record Found(
                @Schema(requiredMode = REQUIRED) long userId,
                @Schema(requiredMode = REQUIRED) List<Long> userIds) implements UserContacts {}

        @Schema(name = "UserContactsFailure")
        record Failed(
                @Schema(
                        requiredMode = REQUIRED,
                        allowableValues = {"token_rejected", "unavailable"})
                String error)
                implements UserContacts {}
    }

    record ContactsBatch(@Schema(requiredMode = REQUIRED) List<UserContacts> results) {}

    private final InboxQueries queries;
    private final TokenHolders tokenHolders;

    ContactsBatchController(InboxQueries queries, TokenHolders tokenHolders) {
        this.queries = queries;
        this.tokenHolders = tokenHolders;
    }

    @PostMapping("/api/contacts/batch")
    @Operation(operationId = "getContactsBatch")
    ContactsBatch contacts(@RequestBody ContactsBatchRequest body) {
        if (body.tokens() == null || body.tokens().isEmpty() || body.tokens().size() > MAX_TOKENS) {
            throw ApiException.badRequest("tokens must list between 1 and " + MAX_TOKENS + " tokens");
        }
        if (body.maxGroupSize() != null && body.maxGroupSize() < 1) {
            throw ApiException.badRequest("max_group_size must be positive");
        }
        List<AuthenticatedUser> holders = new ArrayList<>(body.tokens().size());
        List<Boolean> unchecked = new ArrayList<>(body.tokens().size());
        Set<Long> ids = new LinkedHashSet<>();
        boolean keysUnavailable = false;
        for (String token : body.tokens()) {
            AuthenticatedUser holder = null;
            // Once one token could not be checked, the rest are not tried: each try could wait for the key server.
            if (!keysUnavailable) {
                try {
                    holder = tokenHolders.holderOf(token);
                } catch (TokenHolders.Unchecked e) {
                    keysUnavailable = true;
                }
            }
            unchecked.add(keysUnavailable);
            holders.add(holder);
            if (holder != null) {
                ids.add(holder.id());
            }
        }
        Map<Long, List<Long>> contacts = queries.contacts(ids, body.maxGroupSize());
        List<UserContacts> results = new ArrayList<>(holders.size());
        for (int i = 0; i < holders.size(); i++) {
            AuthenticatedUser holder = holders.get(i);
            if (holder != null) {
                results.add(new UserContacts.Found(holder.id(), contacts.getOrDefault(holder.id(), List.of())));
            } else {
                results.add(unchecked.get(i) ? UserContacts.UNCHECKED : UserContacts.REJECTED);
            }
        }
        return new ContactsBatch(results);
    }
}
