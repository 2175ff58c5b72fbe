package org.erpchat.message.group;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.erpchat.message.conversation.MemberRole;
import org.erpchat.message.web.Paging;
import org.erpchat.support.security.AuthenticatedUser;
import org.erpchat.support.web.ApiException;
import org.erpchat.support.web.ProblemCodes;
import org.erpchat.support.web.ProblemResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "groups")
class GroupController {

    private static final String NO_GROUP = "no such group, or the caller is not in it (indistinguishable)";
    private static final String NO_MEMBER = "no such group or member, or the caller is not in the group";
    private static final String UNKNOWN_USER_WHEN = "a user id the service has never heard of";

    record CreateGroupRequest(
            @Schema(requiredMode = REQUIRED) String name,

            @Schema(nullable = true, description = "known users to add as members besides the caller (the owner)")
            List<Long> memberIds) {}

    record AddMembersRequest(
            @Schema(requiredMode = REQUIRED) List<Long> userIds) {}

    record ChangeRoleRequest(
            @Schema(
                    requiredMode = REQUIRED,
                    allowableValues = {"admin", "member"})
            String role) {}

    record GroupPage(
            @Schema(requiredMode = REQUIRED) List<GroupView> groups,

            @Schema(requiredMode = REQUIRED, nullable = true, description = "null on the last page")
            String nextCursor) {}

    private final GroupService groups;
    private final GroupQueries queries;
    private final GroupListProperties listing;

    GroupController(GroupService groups, GroupQueries queries, GroupListProperties listing) {
        this.groups = groups;
        this.queries = queries;
        this.listing = listing;
    }

    /** Creates a group owned by the caller, with {@code member_ids} (known users) as members. */
    @PostMapping("/api/groups")
    @Operation(operationId = "createGroup")
    @ResponseStatus(HttpStatus.CREATED)
    @ProblemResponse(status = 422, code = GroupService.UNKNOWN_USER, when = UNKNOWN_USER_WHEN)
    @ProblemResponse(
            status = 429,
            code = "rate_limited",
            when = "the caller created chat.message.groups.max-creations groups within creation-window;"
                    + " `Retry-After` says when to retry")
    ResponseEntity<GroupView> create(
            @AuthenticationPrincipal AuthenticatedUser user, @RequestBody CreateGroupRequest request) {
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(groups.create(user.id(), request.name(), request.memberIds()));
    }

    /**
     * The caller's groups in id order, each with its members; pass {@code next_cursor} back as {@code cursor} for the
     * next page.
     */
    @GetMapping("/api/groups")
    @Operation(operationId = "listGroups")
    GroupPage mine(
            @AuthenticationPrincipal AuthenticatedUser user,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        int pageSize = Paging.pageSize(limit, listing.defaultLimit(), listing.maxLimit());
        GroupQueries.Cursor after = Paging.after(cursor, GroupQueries.Cursor::decode);
        GroupQueries.Page page = queries.page(user.id(), after, pageSize);
        return new GroupPage(
                page.groups(), page.next() == null ? null : page.next().encode());
    }

    @GetMapping("/api/groups/{id}")
    @Operation(operationId = "getGroup")
    @ProblemResponse(status = 404, code = ProblemCodes.NOT_FOUND, when = NO_GROUP)
    GroupView one(@AuthenticationPrincipal AuthenticatedUser user, @PathVariable long id) {
        return queries.viewFor(user.id(), id).orElseThrow(() -> ApiException.notFound("group"));
    }

    @PostMapping("/api/groups/{id}/members")
    @Operation(operationId = "addGroupMembers")
    @ProblemResponse(status = 403, code = ProblemCodes.FORBIDDEN, when = "the caller is a plain member")
    @ProblemResponse(status = 404, code = ProblemCodes.NOT_FOUND, when = NO_GROUP)
    @ProblemResponse(status = 422, code = GroupService.UNKNOWN_USER, when = UNKNOWN_USER_WHEN)
    GroupView addMembers(
            @AuthenticationPrincipal AuthenticatedUser user,
            @PathVariable long id,
            @RequestBody AddMembersRequest request) {
        return groups.addMembers(user.id(), id, request.userIds());
    }

    @DeleteMapping("/api/groups/{id}/members/{userId}")
    @Operation(operationId = "removeGroupMember")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @ProblemResponse(
            status = 403,
            code = ProblemCodes.FORBIDDEN,
            when = "a plain member removing someone else, an admin removing the owner or another admin")
    @ProblemResponse(status = 404, code = ProblemCodes.NOT_FOUND, when = NO_MEMBER)
    ResponseEntity<Void> removeMember(
            @AuthenticationPrincipal AuthenticatedUser user, @PathVariable long id, @PathVariable long userId) {
        groups.removeMember(user.id(), id, userId);
        return ResponseEntity.noContent().build();
    }

    @PutMapping("/api/groups/{id}/members/{userId}/role")
    @Operation(operationId = "changeGroupMemberRole")
    @ProblemResponse(status = 403, code = ProblemCodes.FORBIDDEN, when = "the caller is not the owner")
    @ProblemResponse(status = 404, code = ProblemCodes.NOT_FOUND, when = NO_MEMBER)
    GroupView changeRole(
            @AuthenticationPrincipal AuthenticatedUser user,
            @PathVariable long id,
            @PathVariable long userId,
            @RequestBody ChangeRoleRequest request) {
        MemberRole role;
        if ("admin".equals(request.role())) {
            role = MemberRole.ADMIN;
        } else if ("member".equals(request.role())) {
            role = MemberRole.MEMBER;
        } else {
            throw ApiException.badRequest("role must be admin or member");
        }
        return groups.changeRole(user.id(), id, userId, role);
    }
}
