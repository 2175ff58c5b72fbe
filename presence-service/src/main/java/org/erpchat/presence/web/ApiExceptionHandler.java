package org.erpchat.presence.web;

import org.erpchat.support.web.ProblemExceptionHandler;
import org.springframework.dao.DataAccessException;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Problem details for this service: service-support's shared handling and vocabulary, as in every service. Any Redis
 * failure counts as an outage (503 {@code unavailable}): presence is rebuilt from Redis alone, and a command Redis
 * refuses while loading or failing over answers correctly a moment later.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ProblemExceptionHandler {

    @Override
    protected boolean isUnavailable(Throwable e) {
        return super.isUnavailable(e) || e instanceof DataAccessException;
    }
}
