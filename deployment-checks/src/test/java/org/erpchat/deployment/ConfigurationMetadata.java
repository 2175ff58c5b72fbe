package org.erpchat.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a service reads besides its application.yml: the properties its {@code @ConfigurationProperties} records bind,
 * from the metadata Spring Boot's configuration processor writes when the module compiles
 * ({@code target/classes/META-INF/spring-configuration-metadata.json}: every name, nested records included, with its
 * type and {@code @DefaultValue}, exactly as Spring binds them), and the {@code ${...}} placeholders of its
 * {@code @Scheduled} and {@code @RequestMapping} annotations, which the metadata does not list.
 */
final class ConfigurationMetadata {

    /** A bound property. {@code open}: a Map, so deeper names bind too. */
    record Bound(String name, String type, String defaultValue, boolean open) {}

    static final String FILE = "target/classes/META-INF/spring-configuration-metadata.json";

    /** A placeholder in an annotation's string argument, such as {@code "${chat.gateway.keepalive.sweep-interval:1s}"}. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\"\\$\\{([A-Za-z0-9_.\\-\\[\\]]+)(?::[^}\"]*)?}");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, Bound> bound = new LinkedHashMap<>();
    private final List<String> groups = new ArrayList<>();
    private final List<String> placeholders = new ArrayList<>();

    /** The metadata and placeholders of these modules (a service and the modules of this build it depends on). */
    ConfigurationMetadata(List<String> modules) {
        for (String module : modules) {
            Path dir = Repo.path(module);
            boolean binds = false;
            for (Path file : Repo.files(dir.resolve("src/main/java"), ".java")) {
                String source = Repo.read(file);
                Matcher m = PLACEHOLDER.matcher(source);
                while (m.find()) {
                    placeholders.add(m.group(1));
                }
                binds |= source.contains("@ConfigurationProperties(");
            }
            if (binds) {
                read(module, dir.resolve(FILE));
            }
        }
    }

    private void read(String module, Path file) {
        if (!Files.exists(file)) {
            throw new AssertionError(module + " binds @ConfigurationProperties but has no " + FILE
                    + ": compile it first (./mvnw compile)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (JsonNode group : root.path("groups")) {
            groups.add(group.path("name").asString());
        }
        for (JsonNode property : root.path("properties")) {
            String name = property.path("name").asString();
            String type = property.path("type").asString("");
            JsonNode defaultValue = property.get("defaultValue");
            bound.put(
                    name,
                    new Bound(
                            name,
                            type,
                            defaultValue == null || defaultValue.isNull() ? null : defaultValue.asString(),
                            type.startsWith("java.util.Map")));
        }
    }

    Map<String, Bound> bound() {
        return bound;
    }

    /** Every group: each record's prefix and each nested record's. */
    List<String> groups() {
        return groups;
    }

    List<String> placeholders() {
        return placeholders;
    }
}
