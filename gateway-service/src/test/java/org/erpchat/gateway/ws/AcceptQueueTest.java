package org.erpchat.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

class AcceptQueueTest {

    /**
     * A port that is listening but accepts nothing yet (a gateway busy with a storm, in the extreme): the kernel holds
     * what the queue has room for. With Jetty's default (the JVM's 50) the 52nd connection attempt is dropped and this
     * test fails on its connect timeout.
     */
    @Test
    void theKernelHoldsMoreWaitingConnectionsThanTheJvmDefaultOf50() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        new AcceptQueue(200).apply(server);
        connector.open();
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 120; i++) {
                Socket socket = new Socket();
                sockets.add(socket);
                socket.connect(new InetSocketAddress("127.0.0.1", connector.getLocalPort()), 10_000);
            }

            assertThat(connector.getAcceptQueueSize()).isEqualTo(200);
            assertThat(sockets).hasSize(120).allMatch(Socket::isConnected);
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
            connector.close();
        }
    }
}
