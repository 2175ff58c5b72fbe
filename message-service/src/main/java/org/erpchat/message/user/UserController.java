package org.erpchat.message.user;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.erpchat.events.SendRules;
import org.erpchat.support.security.AuthenticatedUser;
import org.erpchat.support.web.ApiException;
import org.erpchat.support.web.ProblemCodes;
import org.erpchat.support.web.ProblemResponse;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "users")
class UserController {

    record ProvisionUserRequest(
            @Schema(requiredMode = REQUIRED) @NotBlank @Size(max = 200)
            String displayName) {}

    private final UserRegistry registry;
    private final UserProperties properties;

    UserController(UserRegistry registry, UserProperties properties) {
        this.registry = registry;
        this.properties = properties;
    }

    /** The known users among {@code ids}; unknown ids are left out. */
    @GetMapping("/api/users")
    @Operation(operationId = "getUsers")
    List<UserView> users(@RequestParam List<Long> ids) {
        if (ids.isEmpty() || ids.size() > properties.maxLookupIds()) {
            throw ApiException.badRequest("ids must list 1 to " + properties.maxLookupIds() + " user ids");
        }
        if (ids.stream().anyMatch(id -> id == null || id <= 0)) {
            throw ApiException.badRequest("ids must be positive integers");
        }
        return registry.find(ids);
    }

    @GetMapping("/api/users/me")
    @Operation(operationId = "getMe")
    UserView me(@AuthenticationPrincipal AuthenticatedUser user) {
        return registry.find(user.id())
                .orElseGet(() -> new UserView(user.id(), DisplayNames.sanitized(user.displayName())));
    }

    /** The ERP provisions a user ahead of its first visit, or renames one. */
    @PutMapping("/api/admin/users/{id}")
    @Operation(operationId = "provisionUser")
    @PreAuthorize("hasAuthority('SCOPE_chat.admin')")
    @ProblemResponse(status = 403, code = ProblemCodes.FORBIDDEN, when = "the token lacks the scope `chat.admin`")
    UserView provision(@PathVariable long id, @Valid @RequestBody ProvisionUserRequest request) {
        // Refused, not repaired as a token's name is: the ERP asked for exactly this name and can correct it.
        String unstorable = SendRules.unstorableReason("display_name", request.displayName());
        if (unstorable != null) {
            throw ApiException.badRequest(unstorable);
        }
        return registry.provision(id, request.displayName().strip());
    }
}
