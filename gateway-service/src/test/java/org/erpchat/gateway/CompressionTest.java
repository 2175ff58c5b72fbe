package org.erpchat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.erpchat.gateway.bench.RawWebSocket;
import org.erpchat.gateway.support.GatewayTest;
import org.erpchat.testsupport.TestTokens;
import org.junit.jupiter.api.Test;

/**
 * {@code chat.gateway.compression} is off by default, and off means off: a client offering permessage-deflate (every
 * browser does) gets a connection without it. (That it is negotiated when on: {@code ws.SelectedExtensionsOnlyTest}.)
 */
class CompressionTest extends GatewayTest {

    @Test
    void permessageDeflateOfferedByTheClientIsNotNegotiatedWhenCompressionIsOff() throws Exception {
        try (RawWebSocket socket = RawWebSocket.open(
                InetAddress.getLoopbackAddress(), port, "/ws?token=" + TestTokens.forUser(newUserId()), true)) {
            assertThat(socket.extensions()).isEmpty();
        }
    }
}
