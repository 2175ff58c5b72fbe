package org.erpchat.gateway.ws;

import jakarta.websocket.Decoder;
import jakarta.websocket.Encoder;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An endpoint configuration that negotiates only the extensions it lists ({@link #getExtensions()}), none when it
 * lists none, whatever the client offers and the container has installed. Everything else is the wrapped
 * configuration's.
 */
final class SelectedExtensionsOnly implements ServerEndpointConfig {

    private final ServerEndpointConfig config;
    private final Configurator configurator;

    SelectedExtensionsOnly(ServerEndpointConfig config) {
        this.config = config;
        this.configurator = new Negotiator(config);
    }

    @Override
    public Class<?> getEndpointClass() {
        return config.getEndpointClass();
    }

    @Override
    public String getPath() {
        return config.getPath();
    }

    @Override
    public List<String> getSubprotocols() {
        return config.getSubprotocols();
    }

    @Override
    public List<Extension> getExtensions() {
        return config.getExtensions();
    }

    @Override
    public Configurator getConfigurator() {
        return configurator;
    }

    @Override
    public List<Class<? extends Encoder>> getEncoders() {
        return config.getEncoders();
    }

    @Override
    public List<Class<? extends Decoder>> getDecoders() {
        return config.getDecoders();
    }

    @Override
    public Map<String, Object> getUserProperties() {
        return config.getUserProperties();
    }

    /** The wrapped configurator, except that extension negotiation keeps to the configuration's list. */
    private static final class Negotiator extends Configurator {

        private final Configurator delegate;
        private final Set<String> allowed;

        Negotiator(ServerEndpointConfig config) {
            this.delegate = config.getConfigurator();
            this.allowed =
                    config.getExtensions().stream().map(Extension::getName).collect(Collectors.toSet());
        }

        @Override
        public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
            if (allowed.isEmpty()) {
                return List.of();
            }
            return delegate.getNegotiatedExtensions(installed, requested).stream()
                    .filter(extension -> allowed.contains(extension.getName()))
                    .toList();
        }

        /**
         * The specification's rule (the first requested that is supported, else none), answered here: the inherited
         * default looks the container's configurator up with a {@link java.util.ServiceLoader} scan of every jar, on
         * every handshake.
         */
        @Override
        public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
            return requested.stream().filter(supported::contains).findFirst().orElse("");
        }

        /**
         * Always true: Spring's origin check ({@code allowed-origins}) has already run and refused what it must before
         * the container is asked to upgrade. The inherited default would only repeat it, at the price of a
         * {@link java.util.ServiceLoader} scan of every jar per handshake (a quarter of a connection's set-up cost).
         */
        @Override
        public boolean checkOrigin(String originHeaderValue) {
            return true;
        }

        @Override
        public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
            delegate.modifyHandshake(sec, request, response);
        }

        @Override
        public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
            return delegate.getEndpointInstance(endpointClass);
        }

        @Override
        public Configurator getContainerDefaultConfigurator() {
            return delegate.getContainerDefaultConfigurator();
        }
    }
}
