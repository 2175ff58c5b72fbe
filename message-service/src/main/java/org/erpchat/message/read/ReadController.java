package org.erpchat.message.read;

import org.erpchat.message.web.ApiException;
import org.erpchat.support.security.AuthenticatedUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ReadController {

    record MarkReadRequest(Long seq) {}

    private final ReadMarkers readMarkers;

    ReadController(ReadMarkers readMarkers) {
        this.readMarkers = readMarkers;
    }

    /** Moves the caller's read marker forward to {@code seq}. */
    @PostMapping("/api/conversations/{id}/read")
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
