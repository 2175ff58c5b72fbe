package org.erpchat.message.web;

import java.time.Duration;
import java.util.Locale;
import org.erpchat.events.RejectReason;
import org.erpchat.message.message.SendRejectedException;
import org.erpchat.support.web.ApiException;
import org.erpchat.support.web.ProblemExceptionHandler;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;

/**
 * Problem details for this service: service-support's shared handling (vocabulary, Spring MVC's exceptions, outages,
 * unexpected errors), plus the send refusals, whose codes are the {@link RejectReason} wire codes that WebSocket
 * clients get in {@code message_error} (a group creation over its bound is refused as a send over its rate is: 429
 * {@code rate_limited} with {@code Retry-After}).
 */
@RestControllerAdvice
class ApiExceptionHandler extends ProblemExceptionHandler {

    @ExceptionHandler(SendRejectedException.class)
    ResponseEntity<Object> sendRejected(SendRejectedException e, WebRequest request) {
        ApiException problem = problem(e);
        return handleExceptionInternal(e, problem, new HttpHeaders(), problem.getStatusCode(), request);
    }

    static ApiException problem(SendRejectedException e) {
        HttpStatus status = switch (e.reason()) {
            case UNKNOWN_GROUP -> HttpStatus.NOT_FOUND;
            case UNKNOWN_RECEIVER -> HttpStatus.UNPROCESSABLE_CONTENT;
            case RATE_LIMITED -> HttpStatus.TOO_MANY_REQUESTS;
            case INTERNAL_ERROR -> HttpStatus.INTERNAL_SERVER_ERROR;
            default -> HttpStatus.BAD_REQUEST;
        };
        HttpHeaders headers = new HttpHeaders();
        if (e.retryAfter() != null && e.reason() == RejectReason.RATE_LIMITED) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(e.retryAfter())));
        }
        return new ApiException(status, e.reason().name().toLowerCase(Locale.ROOT), e.detail(), headers);
    }

    private static long retryAfterSeconds(Duration wait) {
        long seconds = (wait.toMillis() + 999) / 1000;
        return Math.max(1, seconds);
    }
}
