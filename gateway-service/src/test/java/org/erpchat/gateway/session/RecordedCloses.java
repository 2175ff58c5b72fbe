package org.erpchat.gateway.session;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.web.socket.CloseStatus;

/** An {@link OutboundListener} for tests that records the code of each close a session reports, in order. */
public final class RecordedCloses implements OutboundListener {

    private final List<Integer> codes = new CopyOnWriteArrayList<>();

    @Override
    public void written(OutboundFrame frame) {}

    @Override
    public void dropped(OutboundFrame frame) {}

    @Override
    public void closed(CloseStatus status) {
        codes.add(status.getCode());
    }

    /** The close codes reported so far. */
    public List<Integer> codes() {
        return codes;
    }
}
