package org.erpchat.testclient;

/** The server answered the upgrade request with this HTTP status instead of 101. */
public final class HandshakeRefused extends RuntimeException {

    private final int status;

    HandshakeRefused(int status, Throwable cause) {
        super("handshake refused with HTTP " + status, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
