package org.erpchat.gateway.session;

import java.util.function.Consumer;

/** Writes frames to one socket without blocking the caller: the container completes the write later. */
public interface FrameSender {

    /**
     * Starts writing a text frame. {@code done} is called once, with {@code null} when the frame was written or the
     * failure otherwise, possibly on the calling thread before this method returns.
     */
    void sendText(String text, Consumer<Throwable> done);
}
