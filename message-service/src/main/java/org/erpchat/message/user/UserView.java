package org.erpchat.message.user;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.media.Schema;

/** A user as the API shows it. */
@Schema(name = "User")
public record UserView(
        @Schema(requiredMode = REQUIRED) long id,

        @Schema(
                requiredMode = REQUIRED,
                nullable = true,
                description = "null when neither the ERP nor the user's token ever gave one")
        String displayName) {}
