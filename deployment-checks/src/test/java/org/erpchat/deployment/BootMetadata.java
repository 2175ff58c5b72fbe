package org.erpchat.deployment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Spring Boot properties that exist, from the configuration metadata of Boot's own jars (test dependencies of this
 * module): an environment variable for a Spring Boot setting must name one of them.
 */
final class BootMetadata {

    static final BootMetadata INSTANCE = load();

    /** Property name to its Java type. */
    private final Map<String, String> properties;

    /** Names of the property groups ({@code spring.datasource}, {@code spring.kafka}, ...). */
    private final Set<String> groups;

    private BootMetadata(Map<String, String> properties, Set<String> groups) {
        this.properties = Collections.unmodifiableMap(properties);
        this.groups = Collections.unmodifiableSet(groups);
    }

    private static BootMetadata load() {
        Map<String, String> properties = new HashMap<>();
        Set<String> groups = new HashSet<>();
        JsonMapper mapper = JsonMapper.builder().build();
        try {
            var resources =
                    BootMetadata.class.getClassLoader().getResources("META-INF/spring-configuration-metadata.json");
            while (resources.hasMoreElements()) {
                URL url = resources.nextElement();
                if (!url.toString().contains("/org/springframework/boot/")) {
                    // This build's services are on the class path too (see the pom); their metadata is read per
                    // module by ConfigurationMetadata.
                    continue;
                }
                try (InputStream in = url.openStream()) {
                    JsonNode root = mapper.readTree(in);
                    for (JsonNode property : root.path("properties")) {
                        properties.put(
                                property.path("name").asString(),
                                property.path("type").asString(""));
                    }
                    for (JsonNode group : root.path("groups")) {
                        groups.add(group.path("name").asString());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!properties.containsKey("server.port") || !properties.containsKey("spring.datasource.url")) {
            throw new IllegalStateException("Spring Boot's configuration metadata is not on the test classpath");
        }
        return new BootMetadata(properties, groups);
    }

    Map<String, String> properties() {
        return properties;
    }

    boolean isMap(String property) {
        String type = properties.get(property);
        return type != null && (type.startsWith("java.util.Map") || type.startsWith("java.util.List"));
    }

    /** The outermost group a property belongs to ({@code spring.kafka} for {@code spring.kafka.security.protocol}). */
    String outermostGroup(String property) {
        String[] parts = property.split("\\.");
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            prefix.append(i == 0 ? "" : ".").append(parts[i]);
            if (groups.contains(prefix.toString())) {
                return prefix.toString();
            }
        }
        return null;
    }
}
