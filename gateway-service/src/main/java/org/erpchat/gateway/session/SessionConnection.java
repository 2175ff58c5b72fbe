package org.erpchat.gateway.session;

import org.springframework.web.socket.CloseStatus;

/** The socket under a {@link ChatSession}: how to write to it, ping it and close it. */
public interface SessionConnection extends FrameSender {

    /** Sends a WebSocket ping frame; a live client answers with a pong. */
    void ping();

    /** Closes the socket with this status; does not block on a client that stopped reading. */
    void close(CloseStatus status);
}
