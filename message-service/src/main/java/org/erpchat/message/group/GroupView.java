package org.erpchat.message.group;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import org.erpchat.message.conversation.MemberRole;

/** A group as the API shows it; its id is its conversation id. */
@Schema(name = "Group", description = "A group with its members; every field is always present.")
record GroupView(
        @Schema(requiredMode = REQUIRED, description = "the group's id, which is its conversation's id")
        long id,

        @Schema(requiredMode = REQUIRED) String name,

        @Schema(
                requiredMode = REQUIRED,
                nullable = true,
                description = "the owner; null only for a group left without members, which no one sees")
        Long ownerId,

        @Schema(requiredMode = REQUIRED) List<MemberView> members,
        @Schema(requiredMode = REQUIRED) Instant createdAt) {

    @Schema(name = "GroupMember")
    record MemberView(
            @Schema(requiredMode = REQUIRED) long userId,
            @Schema(requiredMode = REQUIRED) MemberRole role) {}
}
