package org.erpchat.message.read;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.erpchat.support.security.AuthenticatedUser;
import org.erpchat.support.web.ApiException;
import org.erpchat.support.web.ProblemCodes;
import org.erpchat.support.web.ProblemResponse;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "conversations")
class ReadController {

    record MarkReadRequest(
            @Schema(requiredMode = REQUIRED, minimum = "0") Long seq) {}

    private final ReadMarkers readMarkers;

    ReadController(ReadMarkers readMarkers) {
        this.readMarkers = readMarkers;
    }

    /** Moves the caller's read marker forward to {@code seq}. */
    @PostMapping("/api/conversations/{id}/read")
    @Operation(operationId = "markRead")
    @ProblemResponse(
            status = 404,
            code = ProblemCodes.NOT_FOUND,
            when = "no such conversation, or the caller is not in it (indistinguishable)")
    ReadMarkers.ReadState markRead(
            @AuthenticationPrincipal AuthenticatedUser user,
            @PathVariable long id,
            @RequestBody MarkReadRequest request) {
        if (request.seq() == null || request.seq() < 0) {
            throw ApiException.badRequest("seq is required and must not be negative");
        }
        return readMarkers.markRead(user.id(), id, request.seq());
    }
}
