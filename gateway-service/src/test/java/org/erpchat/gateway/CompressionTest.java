package org.erpchat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.erpchat.gateway.support.GatewayTest;
import org.erpchat.gateway.support.WsTestClient;
import org.erpchat.testsupport.TestTokens;
import org.junit.jupiter.api.Test;

/**
 * {@code chat.gateway.compression} is off by default, and off means off: a client offering permessage-deflate (every
 * browser does) gets a connection without it. (That it is negotiated when on: {@code ws.SelectedExtensionsOnlyTest}.)
 */
class CompressionTest extends GatewayTest {

    @Test
    void permessageDeflateOfferedByTheClientIsNotNegotiatedWhenCompressionIsOff() {
        try (WsTestClient client =
                WsTestClient.connectOfferingDeflate(wsUri("token=" + TestTokens.forUser(newUserId())))) {
            client.awaitFrame("connected");
            assertThat(client.extensions()).isEmpty();
        }
    }
}
