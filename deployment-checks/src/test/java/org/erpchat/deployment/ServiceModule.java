package org.erpchat.deployment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Maven module of this build that is a Spring Boot application, with what it reads: the keys of its
 * {@code application.yml}, the properties its (and its project dependencies') {@code @ConfigurationProperties} bind,
 * {@code ${...}} placeholders in its sources ({@link ConfigurationMetadata}), and the Spring Boot properties of the
 * features it configures.
 */
record ServiceModule(
        String name, Path dir, Map<String, Object> config, ConfigurationMetadata metadata, List<String> sourceModules) {

    /** Variables the JVM itself reads. */
    static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");

    /**
     * Spring Boot properties every application reads, whatever it configures: logging, profiles, config locations and
     * the application's own lifecycle.
     */
    private static final List<String> CORE_PREFIXES = List.of(
            "logging.",
            "spring.main.",
            "spring.application.",
            "spring.lifecycle.",
            "spring.config.",
            "spring.profiles.");

    /** Groups whose properties a module reads as soon as it configures any of their siblings (web server, actuator). */
    private static final List<String> FEATURE_ROOTS = List.of("server", "management");

    private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
    private static final Map<String, ServiceModule> ALL = load();

    /** Every module of the root pom with a {@code @SpringBootApplication}, by module name. */
    static Map<String, ServiceModule> all() {
        return ALL;
    }

    static ServiceModule named(String name) {
        ServiceModule module = ALL.get(name);
        if (module == null) {
            throw new AssertionError("no Spring Boot application module named " + name + " in " + ALL.keySet());
        }
        return module;
    }

    private static Map<String, ServiceModule> load() {
        Map<String, ServiceModule> modules = new LinkedHashMap<>();
        for (String name : Repo.modules()) {
            Path dir = Repo.path(name);
            if (!isSpringBootApplication(dir)) {
                continue;
            }
            Path yml = dir.resolve("src/main/resources/application.yml");
            Map<String, Object> config = Files.exists(yml) ? Yamls.flatten(Yamls.load(yml)) : Map.of();
            List<String> sourceModules = new ArrayList<>(projectDependencies(name));
            modules.put(
                    name,
                    new ServiceModule(name, dir, config, new ConfigurationMetadata(sourceModules), sourceModules));
        }
        return modules;
    }

    /** A module with an executable Spring Boot application: the annotation in its main sources. */
    static boolean isSpringBootApplication(Path moduleDir) {
        return Repo.files(moduleDir.resolve("src/main/java"), ".java").stream()
                .anyMatch(f -> Repo.read(f).contains("@SpringBootApplication"));
    }

    /** The module and, transitively, the modules of this build it depends on outside test scope. */
    static Set<String> projectDependencies(String module) {
        Set<String> result = new LinkedHashSet<>();
        collect(module, result);
        return result;
    }

    private static void collect(String module, Set<String> result) {
        if (!result.add(module)) {
            return;
        }
        Path pom = Repo.path(module).resolve("pom.xml");
        if (!Files.exists(pom)) {
            return;
        }
        Matcher m = DEPENDENCY.matcher(Repo.read(pom));
        Set<String> modules = Set.copyOf(Repo.modules());
        while (m.find()) {
            String dependency = m.group(1);
            String artifact = tag(dependency, "artifactId");
            String scope = tag(dependency, "scope");
            if ("org.erpchat".equals(tag(dependency, "groupId"))
                    && modules.contains(artifact)
                    && !"test".equals(scope)) {
                collect(artifact, result);
            }
        }
    }

    private static String tag(String xml, String tag) {
        Matcher m =
                Pattern.compile("<" + tag + ">\\s*([^<]*?)\\s*</" + tag + ">").matcher(xml);
        return m.find() ? m.group(1) : null;
    }

    /** {@code server.port} from application.yml. */
    int port() {
        Object port = config.get("server.port");
        if (port == null) {
            throw new AssertionError(name + ": application.yml sets no server.port");
        }
        return Integer.parseInt(String.valueOf(port));
    }

    /** A property's value: application.yml first, else the {@code @DefaultValue} of the bound property. */
    Optional<String> value(String property) {
        Object configured = config.get(property);
        if (configured != null) {
            return Optional.of(String.valueOf(configured));
        }
        ConfigurationMetadata.Bound bound = metadata.bound().get(property);
        return Optional.ofNullable(bound == null ? null : bound.defaultValue());
    }

    Duration duration(String property) {
        return parseDuration(
                value(property).orElseThrow(() -> new AssertionError(name + " has no value for " + property)));
    }

    /** Spring's simple duration form: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h}, or plain milliseconds. */
    static Duration parseDuration(String text) {
        Matcher m = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?").matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: " + text);
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /**
     * The property an environment variable sets in this service, following Spring's relaxed binding
     * ({@code CHAT_GATEWAY_MESSAGE_SERVICE_BASE_URL} is {@code chat.gateway.message-service.base-url}), if the service
     * reads it; empty if it does not.
     */
    Optional<String> propertyForEnvironmentVariable(String variable) {
        if (JVM_VARIABLES.contains(variable)) {
            return Optional.of("(the JVM's " + variable + ")");
        }
        for (String key : config.keySet()) {
            // Under a @ConfigurationProperties prefix only what the record binds counts: Spring ignores a stale key in
            // application.yml, and would ignore the variable just the same.
            if (matches(variable, key, false) && !underBoundPrefix(key)) {
                return Optional.of(key);
            }
        }
        for (ConfigurationMetadata.Bound bound : metadata.bound().values()) {
            if (matches(variable, bound.name(), bound.open())) {
                return Optional.of(bound.name());
            }
        }
        for (String placeholder : metadata.placeholders()) {
            if (matches(variable, placeholder, false)) {
                return Optional.of(placeholder);
            }
        }
        BootMetadata boot = BootMetadata.INSTANCE;
        for (String property : boot.properties().keySet()) {
            if (matches(variable, property, boot.isMap(property)) && configuresFeatureOf(property)) {
                return Optional.of(property);
            }
        }
        return Optional.empty();
    }

    private boolean underBoundPrefix(String key) {
        return metadata.groups().stream().anyMatch(prefix -> key.startsWith(prefix + "."));
    }

    /**
     * Whether this service reads a Spring Boot property: a core one, or one of a feature the service configures (its
     * application.yml sets something in the same outermost group: {@code spring.datasource.password} counts for a
     * service that sets {@code spring.datasource.url}; {@code spring.data.redis.host} does not count for a service
     * without Redis).
     */
    private boolean configuresFeatureOf(String property) {
        if (CORE_PREFIXES.stream().anyMatch(property::startsWith)) {
            return true;
        }
        String root = property.substring(0, property.indexOf('.') < 0 ? property.length() : property.indexOf('.'));
        if (FEATURE_ROOTS.contains(root) && config.keySet().stream().anyMatch(k -> k.startsWith(root + "."))) {
            return true;
        }
        String group = BootMetadata.INSTANCE.outermostGroup(property);
        return group != null && config.keySet().stream().anyMatch(k -> k.startsWith(group + "."));
    }

    /** Whether an environment variable names a property in one of the forms Spring's relaxed binding accepts. */
    static boolean matches(String variable, String property, boolean open) {
        for (String form : environmentForms(property)) {
            if (variable.equals(form) || (open && variable.startsWith(form + "_"))) {
                return true;
            }
        }
        return false;
    }

    /** {@code a.b-c[0]} as {@code A_B_C_0} and {@code A_BC_0}. */
    static List<String> environmentForms(String property) {
        String upper = property.toUpperCase(Locale.ROOT)
                .replace('.', '_')
                .replace("[", "_")
                .replace("]", "");
        return List.of(upper.replace('-', '_'), upper.replace("-", ""));
    }
}
