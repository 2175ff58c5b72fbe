package org.erpchat.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConnectionLogTest {

    private final AtomicInteger open = new AtomicInteger();
    private final ConnectionLog connections = new ConnectionLog(open::get);

    @Test
    void sumsUpOpensAndClosesByCodeOncePerPeriod() {
        for (int i = 0; i < 3; i++) {
            open.incrementAndGet();
            connections.opened(100 + i);
        }
        open.decrementAndGet();
        connections.closed(100, 1006);
        open.decrementAndGet();
        connections.closed(101, 1000);

        assertThat(connections.takeSummary())
                .startsWith("Connections: 1 open; in the last ")
                .endsWith(" s 3 opened, 2 closed (close codes 1000: 1, 1006: 1)");
        // The next period starts empty.
        open.incrementAndGet();
        connections.opened(200);
        assertThat(connections.takeSummary()).endsWith(" s 1 opened, 0 closed");
    }

    @Test
    void saysNothingForAPeriodWithoutConnectionsOrCloses() {
        open.set(5);

        assertThat(connections.takeSummary()).isNull();
    }
}
