package org.erpchat.gateway.support;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.erpchat.gateway.GatewayServiceApplication;
import org.erpchat.testsupport.SharedInfrastructure;
import org.erpchat.testsupport.TestTokens;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Another gateway instance in the same JVM, with its own id and port, on the same Kafka and backends. */
public final class SecondGateway implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    public SecondGateway(String instanceId) {
        this(instanceId, Map.of());
    }

    /** With {@code overrides} on top of the usual test settings. */
    public SecondGateway(String instanceId, Map<String, String> overrides) {
        Backends backends = Backends.get();
        Map<String, Object> properties =
                new HashMap<>(SharedInfrastructure.get().springProperties());
        properties.put("server.port", "0");
        properties.put("chat.security.jwt.secret", TestTokens.SECRET);
        properties.put("chat.gateway.instance-id", instanceId);
        properties.put("chat.gateway.message-service.base-url", backends.messageServiceUrl());
        properties.put("chat.gateway.presence-service.base-url", backends.presenceServiceUrl());
        properties.put("chat.gateway.outbound.max-messages", "64");
        properties.put("spring.jmx.enabled", "false");
        properties.put("management.server.port", "-1");
        properties.putAll(overrides);
        // As command-line arguments: they must win over application.yml, as they would for a deployed gateway.
        String[] arguments = properties.entrySet().stream()
                .map(entry -> "--" + entry.getKey() + "=" + entry.getValue())
                .toArray(String[]::new);
        context = new SpringApplicationBuilder(GatewayServiceApplication.class).run(arguments);
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public URI wsUri(String query) {
        return URI.create("ws://127.0.0.1:" + port() + "/ws" + (query == null ? "" : "?" + query));
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
