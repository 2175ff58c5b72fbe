package org.erpchat.presence.api;

import org.springframework.http.HttpStatus;

/** An error the API answers with a problem detail carrying {@code code}. */
class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;

    ApiException(HttpStatus status, String code, String detail) {
        super(detail);
        this.status = status;
        this.code = code;
    }

    HttpStatus status() {
        return status;
    }

    String code() {
        return code;
    }
}
