package org.erpchat.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Extension;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.adapter.standard.WebSocketToStandardExtensionAdapter;
import org.springframework.web.socket.server.standard.ServerEndpointRegistration;

/**
 * The endpoint configuration the gateway hands the container negotiates what Spring selected (none when compression is
 * off), not whatever the client offers: the container's own default configurator is what decides here.
 */
class SelectedExtensionsOnlyTest {

    private static final List<Extension> DEFLATE =
            List.of(new WebSocketToStandardExtensionAdapter(new WebSocketExtension("permessage-deflate")));

    @Test
    void nothingSelectedNegotiatesNothingAlthoughTheClientOffersAnInstalledExtension() {
        ServerEndpointRegistration registration = registration();
        registration.setExtensions(List.of());

        assertThat(registration.getConfigurator().getNegotiatedExtensions(DEFLATE, DEFLATE))
                .as("the container's default, which the gateway must not rely on")
                .isNotEmpty();
        assertThat(new SelectedExtensionsOnly(registration).getConfigurator().getNegotiatedExtensions(DEFLATE, DEFLATE))
                .isEmpty();
    }

    @Test
    void aSelectedExtensionIsNegotiatedWhenTheClientOffersIt() {
        ServerEndpointRegistration registration = registration();
        registration.setExtensions(DEFLATE);
        SelectedExtensionsOnly config = new SelectedExtensionsOnly(registration);

        assertThat(config.getConfigurator().getNegotiatedExtensions(DEFLATE, DEFLATE))
                .extracting(Extension::getName)
                .containsExactly("permessage-deflate");
        assertThat(config.getConfigurator().getNegotiatedExtensions(DEFLATE, List.of()))
                .isEmpty();
        assertThat(config.getPath()).isEqualTo("/ws");
        assertThat(config.getEndpointClass()).isEqualTo(registration.getEndpointClass());
    }

    @Test
    void theSubprotocolIsTheFirstRequestedOneThatIsSupportedOrNone() {
        ServerEndpointConfig.Configurator configurator = new SelectedExtensionsOnly(registration()).getConfigurator();

        assertThat(configurator.getNegotiatedSubprotocol(List.of("b", "a"), List.of("x", "a", "b")))
                .isEqualTo("a");
        assertThat(configurator.getNegotiatedSubprotocol(List.of(), List.of("chat")))
                .isEmpty();
        assertThat(configurator.getNegotiatedSubprotocol(List.of("chat"), List.of()))
                .isEmpty();
    }

    private static ServerEndpointRegistration registration() {
        return new ServerEndpointRegistration("/ws", new Endpoint() {
            @Override
            public void onOpen(Session session, EndpointConfig config) {}
        });
    }
}
