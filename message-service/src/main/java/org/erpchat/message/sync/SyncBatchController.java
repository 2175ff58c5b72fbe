package org.erpchat.message.sync;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.erpchat.message.message.MessageStore;
import org.erpchat.message.message.MessageView;
import org.erpchat.message.user.TokenHolders;
import org.erpchat.support.domain.RefusedException;
import org.erpchat.support.security.AuthenticatedUser;
import org.erpchat.support.web.ApiException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The first page of {@code POST /api/sync} for many users in one call: a gateway whose clients all resume at once
 * (every client of a restarted gateway, a network that came back) asks for them in a few requests and one query each,
 * rather than one request per client. Each user is named by their own token, checked as a bearer token is, and gets
 * exactly what {@code POST /api/sync} with the same positions and limit would answer them; a token that does not pass
 * gets {@code token_rejected}, one that could not be checked (the key server did not answer) {@code unavailable},
 * positions or a limit that are not valid get {@code invalid_request}, and none costs the others anything. The request itself needs a valid token as well.
 */
@RestController
@Tag(name = "sync")
class SyncBatchController {

    /** More users than this in one request are refused: the gateway sends chunks of at most 100. */
    static final int MAX_REQUESTS = 500;

    /** @param asOf as in {@code POST /api/sync} */
    record UserSyncRequest(
            @Schema(requiredMode = REQUIRED, description = "the user's own bearer token")
            String token,

            @Schema(nullable = true, description = "as in `POST /api/sync`")
            Map<String, Long> positions,

            @Schema(nullable = true, minimum = "1") Integer limit,

            @Schema(ref = "#/components/schemas/AsOf", description = "as in `POST /api/sync`")
            Instant asOf) {}

    record SyncBatchRequest(
            @ArraySchema(arraySchema = @Schema(requiredMode = REQUIRED), minItems = 1, maxItems = MAX_REQUESTS)
            List<UserSyncRequest> requests) {}

    /**
     * One answer per request, in order: the user and their page ({@code user_id, messages, positions, has_more}), or
     * an error code and what was wrong ({@code error, detail}). Each holds exactly the fields of its alternative: a
     * client tells the two apart by whether {@code error} is there.
     */
    @Schema(
            name = "UserSyncResult",
            oneOf = {UserSync.Synced.class, UserSync.Failed.class})
    sealed interface UserSync {

        @Schema(name = "UserSyncPage")
        record Synced(
                @Schema(requiredMode = REQUIRED) long userId,
                @Schema(requiredMode = REQUIRED) List<MessageView> messages,
                @Schema(requiredMode = REQUIRED) Map<Long, Long> positions,
                @Schema(requiredMode = REQUIRED) boolean hasMore)
                implements UserSync {}

        @Schema(name = "UserSyncFailure")
        record Failed(
                @Schema(
                        requiredMode = REQUIRED,
                        allowableValues = {"token_rejected", "unavailable", "invalid_request"})
                String error,

                @Schema(requiredMode = REQUIRED, description = "what was wrong, for a human")
                String detail)
                implements UserSync {}

        static UserSync of(long userId, SyncPage page) {
            return new Synced(userId, page.messages(), page.positions(), page.hasMore());
        }

        static UserSync failed(String error, String detail) {
            return new Failed(error, detail);
        }
    }

    record SyncBatch(@Schema(requiredMode = REQUIRED) List<UserSync> results) {}

    /** A request that passed its checks, waiting for its page. */
    private record Checked(int index, long userId, Map<Long, Long> positions, int limit, Instant asOf) {}

    private final MessageStore messages;
    private final SyncRules rules;
    private final TokenHolders tokenHolders;

    SyncBatchController(MessageStore messages, SyncRules rules, TokenHolders tokenHolders) {
        this.messages = messages;
        this.rules = rules;
        this.tokenHolders = tokenHolders;
    }

    @PostMapping("/api/sync/batch")
    @Operation(operationId = "syncBatch")
    SyncBatch sync(@RequestBody SyncBatchRequest body) {
        List<UserSyncRequest> requests = body.requests();
        if (requests == null || requests.isEmpty() || requests.size() > MAX_REQUESTS) {
            throw ApiException.badRequest("requests must list between 1 and " + MAX_REQUESTS + " requests");
        }
        UserSync[] results = new UserSync[requests.size()];
        List<Checked> checked = new ArrayList<>(requests.size());
        boolean keysUnavailable = false;
        for (int i = 0; i < requests.size(); i++) {
            UserSyncRequest request = requests.get(i);
            AuthenticatedUser holder;
            try {
                // Once one token could not be checked, the rest are not tried: each try could wait for the key
                // server again, and the gateway asks for each of them alone when it retries.
                holder = keysUnavailable || request == null ? null : tokenHolders.holderOf(request.token());
            } catch (TokenHolders.Unchecked e) {
                keysUnavailable = true;
                holder = null;
            }
            if (keysUnavailable && request != null) {
                results[i] = UserSync.failed("unavailable", "the token could not be checked; retry later");
                continue;
            }
            if (holder == null) {
                results[i] = UserSync.failed(
                        "token_rejected", "the token is not valid (malformed, badly signed or expired)");
                continue;
            }
            try {
                checked.add(new Checked(
                        i,
                        holder.id(),
                        rules.positions(request.positions()),
                        rules.limit(request.limit()),
                        rules.asOf(request.asOf())));
            } catch (RefusedException e) {
                results[i] = UserSync.failed(e.code(), e.getMessage());
            }
        }
        if (!checked.isEmpty()) {
            int[] limits =
                    rules.batchLimits(checked.stream().mapToInt(Checked::limit).toArray());
            List<MessageStore.MissedQuery> queries = new ArrayList<>(checked.size());
            for (int i = 0; i < checked.size(); i++) {
                Checked request = checked.get(i);
                queries.add(
                        new MessageStore.MissedQuery(request.userId(), request.positions(), limits[i], request.asOf()));
            }
            List<MessageStore.Page> pages = messages.missedBy(queries);
            for (int i = 0; i < checked.size(); i++) {
                Checked request = checked.get(i);
                results[request.index()] =
                        UserSync.of(request.userId(), SyncPage.of(request.positions(), pages.get(i)));
            }
        }
        return new SyncBatch(List.of(results));
    }
}
