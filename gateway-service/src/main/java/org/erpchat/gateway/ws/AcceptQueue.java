package org.erpchat.gateway.ws;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * The listen backlog of the gateway's port: how many connections the kernel completes and holds until the gateway
 * accepts them. Jetty leaves it to the JVM, whose default is 50. When thousands of clients reconnect at once (a
 * restarted gateway, a network blip, a company opening its laptops) a queue of 50 fills within milliseconds on a busy
 * machine, the kernel drops the SYNs that find it full, and each client whose SYN was dropped waits for its TCP stack
 * to send it again: 1 s later, then 2 s and 4 s after that. With 1,000 clients connecting together the kernel dropped
 * 70 to 952 connection attempts a round, and a 10,000-client storm took a median 25.8 s instead of 16.3 s
 * (docs/benchmarks.md §5). The kernel caps the queue at {@code net.core.somaxconn}.
 */
final class AcceptQueue implements WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory> {

    private final int size;

    AcceptQueue(int size) {
        this.size = size;
    }

    @Override
    public void customize(ConfigurableJettyWebServerFactory factory) {
        factory.addServerCustomizers(this::apply);
    }

    /** Before the server starts: the backlog is given to the kernel when a connector opens its port. */
    void apply(Server server) {
        for (Connector connector : server.getConnectors()) {
            if (connector instanceof ServerConnector listening) {
                listening.setAcceptQueueSize(size);
            }
        }
    }
}
