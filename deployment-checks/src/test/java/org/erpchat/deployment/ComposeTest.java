package org.erpchat.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docker-compose.yml: the infrastructure it runs, healthchecks, start order, shutdown time and its .env variables. */
class ComposeTest {

    @Test
    void redisPersistsWithAnAppendOnlyFile() {
        Map<String, Object> redis = Compose.service("redis");
        String command = String.join(
                " ",
                Yamls.list(redis.get("command")).stream().map(String::valueOf).toList());
        assertThat(command).contains("--appendonly yes");
        assertThat(Yamls.list(redis.get("volumes")))
                .anySatisfy(v -> assertThat(String.valueOf(v)).endsWith(":/data"));
    }

    @Test
    void kafkaRunsInKraftModeWithPersistentStorage() {
        Map<String, String> env = Compose.environment(Compose.service("kafka"));
        assertThat(env.get("KAFKA_PROCESS_ROLES")).contains("broker").contains("controller");
        assertThat(env)
                .containsKeys("KAFKA_CONTROLLER_QUORUM_VOTERS", "KAFKA_CONTROLLER_LISTENER_NAMES", "KAFKA_NODE_ID");
        assertThat(env.keySet()).noneMatch(k -> k.contains("ZOOKEEPER"));
        // A KRaft cluster id is 16 bytes in URL-safe base64.
        assertThat(env.get("CLUSTER_ID")).matches("[A-Za-z0-9_-]{22}");
        assertThat(env).containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        String logDirs = env.get("KAFKA_LOG_DIRS");
        assertThat(Yamls.list(Compose.service("kafka").get("volumes")))
                .anySatisfy(v -> assertThat(String.valueOf(v)).endsWith(":" + logDirs));
        // The services reach the broker at the address it advertises.
        String advertised = env.get("KAFKA_ADVERTISED_LISTENERS").replaceAll("^[A-Z_]+://", "");
        Compose.builtServices()
                .forEach((name, service) -> assertThat(Compose.environment(service))
                        .as(name)
                        .containsEntry("SPRING_KAFKA_BOOTSTRAP_SERVERS", advertised));
    }

    @Test
    void messageServiceUsesTheComposeDatabase() {
        Map<String, String> postgres = Compose.environment(Compose.service("postgres"));
        Map<String, String> message = Compose.environment(Compose.service("message-service"));
        assertThat(message.get("SPRING_DATASOURCE_URL"))
                .isEqualTo("jdbc:postgresql://postgres:5432/" + postgres.get("POSTGRES_DB"));
        assertThat(message.get("SPRING_DATASOURCE_USERNAME")).isEqualTo(postgres.get("POSTGRES_USER"));
        assertThat(message.get("SPRING_DATASOURCE_PASSWORD")).isEqualTo(postgres.get("POSTGRES_PASSWORD"));
        assertThat(message.get("SPRING_DATA_REDIS_HOST")).isEqualTo("redis");
    }

    @Test
    void everyLongRunningServiceHasAHealthcheck() {
        Compose.services().forEach((name, service) -> {
            if (!"no".equals(Yamls.string(service, "restart"))) {
                assertThat(Yamls.at(service, "healthcheck", "test"))
                        .as("healthcheck of %s", name)
                        .isNotNull();
            }
        });
    }

    @Test
    void dependenciesWaitForHealthOrCompletion() {
        Map<String, Map<String, Object>> services = Compose.services();
        services.forEach((name, service) -> {
            Object dependsOn = service.get("depends_on");
            if (dependsOn == null) {
                return;
            }
            assertThat(dependsOn).as("depends_on of %s uses conditions", name).isInstanceOf(Map.class);
            Yamls.map(dependsOn).forEach((dependency, spec) -> {
                assertThat(services).as("%s depends on %s", name, dependency).containsKey(dependency);
                String condition = Yamls.string(spec, "condition");
                Map<String, Object> target = services.get(dependency);
                if ("service_healthy".equals(condition)) {
                    assertThat(Yamls.at(target, "healthcheck"))
                            .as("%s has a healthcheck", dependency)
                            .isNotNull();
                } else {
                    assertThat(condition)
                            .as("condition of %s on %s", name, dependency)
                            .isEqualTo("service_completed_successfully");
                    assertThat(Yamls.string(target, "restart"))
                            .as("%s runs once", dependency)
                            .isEqualTo("no");
                }
            });
        });
        // The start order the services need.
        assertThat(Yamls.map(Compose.service("message-service").get("depends_on")))
                .containsKeys("postgres", "redis", "kafka-topics");
        assertThat(Yamls.map(Compose.service("presence-service").get("depends_on")))
                .containsKeys("redis", "kafka-topics");
        assertThat(Yamls.map(Compose.service("gateway-service").get("depends_on")))
                .containsKeys("message-service", "presence-service");
        assertThat(Yamls.map(Compose.service("nginx").get("depends_on")))
                .containsKeys(Compose.builtServices().keySet().toArray(String[]::new));
    }

    @Test
    void servicesGetTimeForTheirGracefulShutdown() {
        Compose.builtServices().forEach((name, service) -> {
            Duration phase = ServiceModule.named(name).duration("spring.lifecycle.timeout-per-shutdown-phase");
            String grace = Yamls.string(service, "stop_grace_period");
            assertThat(grace)
                    .as("stop_grace_period of %s (Docker's default is 10 s)", name)
                    .isNotNull();
            assertThat(ServiceModule.parseDuration(grace))
                    .as("stop_grace_period of %s vs its shutdown phase %s", name, phase)
                    .isGreaterThan(phase);
        });
        // The gateway's drain (close every session, publish the closes) comes before its web server's phase.
        assertThat(ServiceModule.parseDuration(Yamls.string(Compose.service("gateway-service"), "stop_grace_period")))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(40));
    }

    @Test
    void gatewaysRunAsSeveralInstancesBehindNginx() {
        Object replicas = Yamls.at(Compose.service("gateway-service"), "deploy", "replicas");
        assertThat(Integer.parseInt(String.valueOf(replicas))).isGreaterThanOrEqualTo(2);
        assertThat(Yamls.list(Compose.service("nginx").get("volumes")))
                .contains("./infra/nginx/nginx.conf:/etc/nginx/nginx.conf:ro");
    }

    @Test
    void envExampleListsExactlyTheVariablesComposeSubstitutes() {
        Map<String, String> example = envExample();
        Map<String, Boolean> substituted = Compose.substitutedVariables();
        assertThat(new TreeSet<>(example.keySet())).isEqualTo(new TreeSet<>(substituted.keySet()));
        // The secrets have no usable value: compose refuses to start until they are set.
        substituted.forEach((variable, required) -> {
            if (variable.contains("PASSWORD") || variable.contains("SECRET")) {
                assertThat(required)
                        .as("%s is required (${%s:?...})", variable, variable)
                        .isTrue();
                assertThat(example.get(variable))
                        .as("%s in .env.example", variable)
                        .isEmpty();
            }
        });
        assertThat(Set.copyOf(substituted.keySet())).contains("POSTGRES_PASSWORD", "CHAT_JWT_SECRET");
    }

    static Map<String, String> envExample() {
        Map<String, String> variables = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^\\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$").matcher(Repo.read(".env.example"));
        while (m.find()) {
            variables.put(m.group(1), m.group(2).trim());
        }
        return variables;
    }

    @Test
    void imagesArePinned() {
        Compose.services().forEach((name, service) -> {
            String image = Yamls.string(service, "image");
            if (!service.containsKey("build")) {
                assertThat(image)
                        .as("image of %s", name)
                        .isNotNull()
                        .matches(".+:[0-9][^:]*")
                        .doesNotEndWith(":latest");
            }
        });
        assertThat(List.of(Yamls.string(Compose.service("kafka"), "image")))
                .containsExactly(Yamls.string(Compose.service("kafka-topics"), "image"));
    }
}
