package org.erpchat.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every environment variable compose or Kubernetes gives a service is a property that service reads, by Spring's
 * relaxed binding. What a service reads comes from its sources: application.yml, its {@code @ConfigurationProperties}
 * records (and those of the modules it depends on), and the Spring Boot properties of the features it configures.
 */
class EnvironmentVariablesTest {

    /** Names that look like Spring properties in environment form. */
    private static final Pattern PROPERTY_VARIABLE =
            Pattern.compile("\\b(?:CHAT|SPRING|SERVER|MANAGEMENT|LOGGING)_[A-Z0-9_]*[A-Z0-9]\\b");

    @Test
    void theMappingTellsReadPropertiesFromOthers() {
        // The check below is only as good as this: known names map, wrong ones and other services' ones do not.
        ServiceModule gateway = ServiceModule.named("gateway-service");
        ServiceModule message = ServiceModule.named("message-service");
        ServiceModule presence = ServiceModule.named("presence-service");
        assertThat(gateway.propertyForEnvironmentVariable("CHAT_GATEWAY_MESSAGE_SERVICE_BASE_URL"))
                .contains("chat.gateway.message-service.base-url");
        assertThat(gateway.propertyForEnvironmentVariable("CHAT_GATEWAY_KEEPALIVE_PINGINTERVAL"))
                .contains("chat.gateway.keepalive.ping-interval");
        assertThat(gateway.propertyForEnvironmentVariable("CHAT_SECURITY_JWT_JWK_SET_URI"))
                .contains("chat.security.jwt.jwk-set-uri");
        assertThat(gateway.propertyForEnvironmentVariable("SPRING_KAFKA_BOOTSTRAP_SERVERS"))
                .contains("spring.kafka.bootstrap-servers");
        assertThat(gateway.propertyForEnvironmentVariable("LOGGING_STRUCTURED_FORMAT_CONSOLE"))
                .contains("logging.structured.format.console");
        assertThat(message.propertyForEnvironmentVariable("SPRING_DATASOURCE_PASSWORD"))
                .contains("spring.datasource.password");
        assertThat(presence.propertyForEnvironmentVariable("CHAT_PRESENCE_SESSION_TTL"))
                .contains("chat.presence.session-ttl");

        assertThat(gateway.propertyForEnvironmentVariable("CHAT_GATEWAY_MESSAGE_SERVICE_URL"))
                .isEmpty();
        assertThat(gateway.propertyForEnvironmentVariable("CHAT_SECURITY_JWT_SECRETS"))
                .isEmpty();
        assertThat(gateway.propertyForEnvironmentVariable("SPRING_DATA_REDIS_HOST"))
                .as("the gateway has no Redis")
                .isEmpty();
        assertThat(gateway.propertyForEnvironmentVariable("SPRING_DATASOURCE_URL"))
                .isEmpty();
        assertThat(presence.propertyForEnvironmentVariable("SPRING_DATASOURCE_PASSWORD"))
                .isEmpty();
        assertThat(message.propertyForEnvironmentVariable("CHAT_GATEWAY_ALLOWED_ORIGINS"))
                .isEmpty();
        assertThat(message.propertyForEnvironmentVariable("SPRING_KAFKA_BOOTSTRAP_SERVER"))
                .isEmpty();
    }

    @Test
    void composeSetsOnlyVariablesTheServicesRead() {
        Map<String, String> image = Compose.dockerfileEnvironment();
        assertThat(image).containsKey("JAVA_TOOL_OPTIONS");
        List<String> problems = new ArrayList<>();
        Compose.builtServices().forEach((name, service) -> {
            Map<String, String> environment = new LinkedHashMap<>(image);
            environment.putAll(Compose.environment(service));
            check("docker-compose.yml " + name, ServiceModule.named(name), environment.keySet(), problems);
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void kubernetesSetsOnlyVariablesTheServicesRead() {
        List<String> problems = new ArrayList<>();
        Manifests.serviceDeployments().forEach((module, deployment) -> {
            for (Map<String, Object> container : Manifests.containers(deployment)) {
                check(
                        deployment.toString(),
                        ServiceModule.named(module),
                        Manifests.environment(container).keySet(),
                        problems);
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void theServicesGetWhatTheyNeed() {
        // Without these a service starts with its localhost defaults (or, for the JWT, not at all).
        Map<String, Set<String>> required = Map.of(
                "message-service",
                Set.of(
                        "SPRING_KAFKA_BOOTSTRAP_SERVERS",
                        "SPRING_DATASOURCE_URL",
                        "SPRING_DATASOURCE_PASSWORD",
                        "SPRING_DATA_REDIS_HOST",
                        "CHAT_SECURITY_JWT_SECRET",
                        "CHAT_KAFKA_TOPICS_CREATE"),
                "presence-service",
                Set.of(
                        "SPRING_KAFKA_BOOTSTRAP_SERVERS",
                        "SPRING_DATA_REDIS_HOST",
                        "CHAT_SECURITY_JWT_SECRET",
                        "CHAT_KAFKA_TOPICS_CREATE"),
                "gateway-service",
                Set.of(
                        "SPRING_KAFKA_BOOTSTRAP_SERVERS",
                        "CHAT_SECURITY_JWT_SECRET",
                        "CHAT_KAFKA_TOPICS_CREATE",
                        "CHAT_GATEWAY_MESSAGE_SERVICE_BASE_URL",
                        "CHAT_GATEWAY_PRESENCE_SERVICE_BASE_URL",
                        "CHAT_GATEWAY_ALLOWED_ORIGINS"));
        assertThat(required.keySet()).isEqualTo(ServiceModule.all().keySet());
        required.forEach((module, variables) -> {
            assertThat(Compose.environment(Compose.service(module)))
                    .as("docker-compose.yml %s", module)
                    .containsKeys(variables.toArray(String[]::new));
            assertThat(Compose.environment(Compose.service(module)))
                    .as("topics come from the kafka-topics job")
                    .containsEntry("CHAT_KAFKA_TOPICS_CREATE", "false");
            Map<String, String> k8s = Manifests.environment(
                    Manifests.containers(Manifests.serviceDeployments().get(module))
                            .get(0));
            assertThat(k8s).as("Deployment %s", module).containsKeys(variables.toArray(String[]::new));
            assertThat(k8s).as("topics come from the Job").containsEntry("CHAT_KAFKA_TOPICS_CREATE", "false");
        });
    }

    @Test
    void everyPropertyVariableMentionedInTheDeploymentFilesExists() {
        // Comments and docs name variables too (the RS256 alternatives in the Secret template, say): they must be real.
        Set<String> composeVariables = Compose.substitutedVariables().keySet();
        List<Path> files = new ArrayList<>(Manifests.files());
        files.add(Compose.FILE);
        files.add(Compose.DOCKERFILE);
        Path readme = Repo.path("infra/README.md");
        if (Files.exists(readme)) {
            files.add(readme);
        }
        Set<String> problems = new TreeSet<>();
        for (Path file : files) {
            Matcher m = PROPERTY_VARIABLE.matcher(Repo.read(file));
            while (m.find()) {
                String variable = m.group();
                if (composeVariables.contains(variable)) {
                    continue;
                }
                boolean read = ServiceModule.all().values().stream()
                        .anyMatch(
                                s -> s.propertyForEnvironmentVariable(variable).isPresent());
                if (!read) {
                    problems.add(Repo.relative(file) + ": " + variable + " is not a property of any service");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    private static void check(String where, ServiceModule service, Set<String> variables, List<String> problems) {
        assertThat(variables).as(where).isNotEmpty();
        for (String variable : variables) {
            if (service.propertyForEnvironmentVariable(variable).isEmpty()) {
                problems.add(where + ": " + variable + " is not a property " + service.name() + " reads");
            }
        }
    }
}
