package org.erpchat.support.web;

import static org.springframework.web.bind.annotation.RequestMethod.DELETE;
import static org.springframework.web.bind.annotation.RequestMethod.GET;
import static org.springframework.web.bind.annotation.RequestMethod.HEAD;
import static org.springframework.web.bind.annotation.RequestMethod.OPTIONS;
import static org.springframework.web.bind.annotation.RequestMethod.PATCH;
import static org.springframework.web.bind.annotation.RequestMethod.POST;
import static org.springframework.web.bind.annotation.RequestMethod.PUT;
import static org.springframework.web.bind.annotation.RequestMethod.TRACE;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The error page ({@code /error}) as a problem detail, in place of Spring Boot's {@code {timestamp, status, error}}:
 * what never reached Spring MVC (a URL Spring Security's firewall rejects, an exception in a filter) is answered in
 * the same form and vocabulary as everything else. The detail is generic on purpose: the container's message may
 * describe internals.
 *
 * <p>The page is no part of the API: asked for directly (not forwarded to by the container with an error's status),
 * it answers 404 as any unknown path does, and the OpenAPI document leaves it out ({@link Hidden}: a service without
 * springdoc, such as the gateway, does not see the annotation at all).
 */
@Hidden
@RestController
class ProblemErrorController implements ErrorController {

    // Every method by name: with none named, Spring MVC answers a direct OPTIONS itself (200, with the methods
    // allowed).
    @RequestMapping(
            path = "${server.error.path:${error.path:/error}}",
            method = {GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, TRACE})
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        HttpStatus status = status(request);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail(status));
        problem.setType(URI.create("about:blank"));
        Object failed = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (failed == null) {
            failed = request.getRequestURI(); // the page itself was asked for
        }
        if (failed instanceof String uri) {
            try {
                problem.setInstance(URI.create(uri));
            } catch (IllegalArgumentException e) {
                // A path a firewall rejected may well not be a valid URI: leave it out.
            }
        }
        problem.setProperty(ProblemCodes.MEMBER, ProblemCodes.forStatus(status));
        // Preset, so that no Accept header can turn the error into a 406 of its own.
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    private static HttpStatus status(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (code == null) {
            // The container forwards here with the error's status: without one, a client asked for the page itself.
            return HttpStatus.NOT_FOUND;
        }
        HttpStatus status = code instanceof Integer value ? HttpStatus.resolve(value) : null;
        return status == null || !status.isError() ? HttpStatus.INTERNAL_SERVER_ERROR : status;
    }

    private static String detail(HttpStatus status) {
        return ContainerProblems.detail(status.value());
    }
}
