package org.erpchat.deployment;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** docker-compose.yml at the root, merge keys resolved, and the root Dockerfile it builds with. */
final class Compose {

    static final Path FILE = Repo.path("docker-compose.yml");
    static final Path DOCKERFILE = Repo.path("Dockerfile");

    private Compose() {}

    static Map<String, Object> root() {
        return Yamls.load(FILE);
    }

    static Map<String, Map<String, Object>> services() {
        Map<String, Map<String, Object>> services = new LinkedHashMap<>();
        Yamls.map(root().get("services")).forEach((name, service) -> services.put(name, Yamls.map(service)));
        return services;
    }

    static Map<String, Object> service(String name) {
        Map<String, Object> service = services().get(name);
        if (service == null) {
            throw new AssertionError("docker-compose.yml has no service " + name);
        }
        return service;
    }

    /** The services compose builds from this repository (with {@code build:}). */
    static Map<String, Map<String, Object>> builtServices() {
        Map<String, Map<String, Object>> built = new LinkedHashMap<>();
        services().forEach((name, service) -> {
            if (service.containsKey("build")) {
                built.put(name, service);
            }
        });
        return built;
    }

    /** A service's environment, in either of compose's forms (mapping, or list of NAME=value). */
    static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> environment = new LinkedHashMap<>();
        Object value = service.get("environment");
        if (value instanceof List<?> list) {
            for (Object entry : list) {
                String text = String.valueOf(entry);
                int eq = text.indexOf('=');
                environment.put(eq < 0 ? text : text.substring(0, eq), eq < 0 ? null : text.substring(eq + 1));
            }
        } else if (value != null) {
            Yamls.map(value).forEach((k, v) -> environment.put(k, v == null ? null : String.valueOf(v)));
        }
        return environment;
    }

    /** The variables the Dockerfile's ENV instructions set in every image. */
    static Map<String, String> dockerfileEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        String joined = Repo.read(DOCKERFILE).replace("\\\n", " ");
        Matcher line = Pattern.compile("(?m)^ENV\\s+(.*)$").matcher(joined);
        Pattern pair = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)");
        while (line.find()) {
            Matcher m = pair.matcher(line.group(1));
            while (m.find()) {
                environment.put(m.group(1), m.group(2).replaceAll("^\"|\"$", ""));
            }
        }
        return environment;
    }

    /** Names of the variables compose substitutes ({@code ${NAME}}, {@code ${NAME:-default}}, {@code ${NAME:?error}}). */
    static Map<String, Boolean> substitutedVariables() {
        Map<String, Boolean> variables = new LinkedHashMap<>();
        Matcher m = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?+])?[^}]*}")
                .matcher(Repo.read(FILE));
        while (m.find()) {
            boolean required = m.group(2) == null || m.group(2).endsWith("?");
            variables.merge(m.group(1), required, Boolean::logicalOr);
        }
        return variables;
    }
}
