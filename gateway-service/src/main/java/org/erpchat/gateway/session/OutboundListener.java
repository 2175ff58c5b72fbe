package org.erpchat.gateway.session;

/** What an {@link OutboundQueue} reports, for metrics. */
public interface OutboundListener {

    void written(OutboundFrame frame);

    void dropped(OutboundFrame frame);

    OutboundListener NONE = new OutboundListener() {
        @Override
        public void written(OutboundFrame frame) {}

        @Override
        public void dropped(OutboundFrame frame) {}
    };
}
