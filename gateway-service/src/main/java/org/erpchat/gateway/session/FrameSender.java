package org.erpchat.gateway.session;

import java.util.function.Consumer;
import org.erpchat.gateway.protocol.TextFrame;

/** Writes frames to one socket without blocking the caller: the container completes the write later. */
interface FrameSender {

    /**
     * Starts writing a text frame. {@code done} is called once, with {@code null} when the frame was written (or taken
     * into the connection's batch) or the failure otherwise, possibly on the calling thread before this method
     * returns.
     *
     * @param more further frames follow at once: the connection may gather them and write them together, as long as
     *     it writes everything by the time a frame without {@code more} has been sent
     */
    void send(TextFrame frame, boolean more, Consumer<Throwable> done);
}
