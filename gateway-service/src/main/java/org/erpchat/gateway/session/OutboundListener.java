package org.erpchat.gateway.session;

import org.springframework.web.socket.CloseStatus;

/** What an {@link OutboundQueue} and its {@link ChatSession} report, for metrics. */
public interface OutboundListener {

    void written(OutboundFrame frame);

    void dropped(OutboundFrame frame);

    /** The session ends with this status; called once per session, when the close is decided. */
    default void closed(CloseStatus status) {}

    OutboundListener NONE = new OutboundListener() {
        @Override
        public void written(OutboundFrame frame) {}

        @Override
        public void dropped(OutboundFrame frame) {}
    };
}
