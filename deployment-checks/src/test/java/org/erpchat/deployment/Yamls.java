package org.erpchat.deployment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * YAML as plain maps and lists. SnakeYAML resolves anchors, aliases and merge keys ({@code <<: *defaults}) the way
 * docker compose does, so a compose service is seen with everything it inherits.
 */
final class Yamls {

    private Yamls() {}

    static List<Map<String, Object>> loadAll(Path file) {
        String text = Repo.read(file);
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : yaml().loadAll(text)) {
            if (document == null) {
                continue;
            }
            if (!(document instanceof Map)) {
                throw new IllegalStateException(Repo.relative(file) + ": a document is not a mapping: " + document);
            }
            documents.add(map(document));
        }
        return documents;
    }

    static Map<String, Object> load(Path file) {
        List<Map<String, Object>> documents = loadAll(file);
        if (documents.size() != 1) {
            throw new IllegalStateException(Repo.relative(file) + ": expected one document, found " + documents.size());
        }
        return documents.get(0);
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(new SafeConstructor(options));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map)) {
            throw new IllegalStateException("not a mapping: " + value);
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List)) {
            throw new IllegalStateException("not a list: " + value);
        }
        return (List<Object>) value;
    }

    /** The value at a path of keys, or null if any step is missing. */
    static Object at(Object root, String... path) {
        Object current = root;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }

    static String string(Object root, String... path) {
        Object value = at(root, path);
        return value == null ? null : String.valueOf(value);
    }

    static List<Map<String, Object>> maps(Object value) {
        return list(value).stream().map(Yamls::map).toList();
    }

    /**
     * Nested keys joined with dots ({@code server: {port: 8081}} gives {@code server.port}); lists count as values.
     */
    static Map<String, Object> flatten(Map<String, Object> root) {
        Map<String, Object> flat = new LinkedHashMap<>();
        flatten("", root, flat);
        return flat;
    }

    private static void flatten(String prefix, Map<String, Object> map, Map<String, Object> flat) {
        map.forEach((key, value) -> {
            String name = prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key;
            if (value instanceof Map<?, ?> nested && !nested.isEmpty()) {
                flatten(name, map(nested), flat);
            } else {
                flat.put(name, value);
            }
        });
    }
}
