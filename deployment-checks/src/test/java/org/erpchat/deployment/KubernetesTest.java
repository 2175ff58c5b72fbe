package org.erpchat.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.erpchat.deployment.Manifests.Manifest;
import org.junit.jupiter.api.Test;

/** The Deployments, autoscaling, disruption budget, Ingress and Secret template under infra/k8s. */
class KubernetesTest {

    @Test
    void deploymentsProbeTheActuatorHealthGroups() {
        Manifests.serviceDeployments().forEach((module, deployment) -> {
            ServiceModule service = ServiceModule.named(module);
            // The probe endpoints exist only when the service enables them.
            assertThat(service.value("management.endpoint.health.probes.enabled"))
                    .as("%s enables the health probes", module)
                    .contains("true");
            Map<String, Object> container = Manifests.containers(deployment).get(0);
            assertThat(Yamls.string(container, "readinessProbe", "httpGet", "path"))
                    .isEqualTo("/actuator/health/readiness");
            assertThat(Yamls.string(container, "livenessProbe", "httpGet", "path"))
                    .isEqualTo("/actuator/health/liveness");
            assertThat(Yamls.string(container, "startupProbe", "httpGet", "path"))
                    .isEqualTo("/actuator/health/liveness");
            // The startup probe gives a slow start (Flyway, Kafka) at least a minute before liveness applies.
            int period = Integer.parseInt(String.valueOf(Yamls.at(container, "startupProbe", "periodSeconds")));
            int failures = Integer.parseInt(String.valueOf(Yamls.at(container, "startupProbe", "failureThreshold")));
            assertThat(period * failures).as("startup allowance of %s", module).isGreaterThanOrEqualTo(60);
        });
    }

    @Test
    void deploymentsRunAsNonRootWithLimits() {
        Manifests.serviceDeployments().forEach((module, deployment) -> {
            Map<String, Object> pod = Manifests.podSpec(deployment);
            assertThat(Yamls.at(pod, "securityContext", "runAsNonRoot"))
                    .as(module)
                    .isEqualTo(true);
            assertThat(Integer.parseInt(Yamls.string(pod, "securityContext", "runAsUser")))
                    .as(module)
                    .isPositive();
            for (Map<String, Object> container : Manifests.containers(deployment)) {
                assertThat(Yamls.at(container, "securityContext", "allowPrivilegeEscalation"))
                        .isEqualTo(false);
                assertThat(Yamls.list(Yamls.at(container, "securityContext", "capabilities", "drop")))
                        .contains("ALL");
                assertThat(Yamls.string(container, "resources", "requests", "cpu"))
                        .as(module)
                        .isNotBlank();
                assertThat(Yamls.string(container, "resources", "requests", "memory"))
                        .as(module)
                        .isNotBlank();
                assertThat(Yamls.string(container, "resources", "limits", "memory"))
                        .as(module)
                        .isNotBlank();
                // With a read-only root filesystem the JVM and web server still need a writable /tmp.
                if (Boolean.TRUE.equals(Yamls.at(container, "securityContext", "readOnlyRootFilesystem"))) {
                    assertThat(Yamls.maps(container.get("volumeMounts")))
                            .anySatisfy(m -> assertThat(m.get("mountPath")).isEqualTo("/tmp"));
                }
                String javaOptions = Manifests.environment(container).get("JAVA_TOOL_OPTIONS");
                assertThat(javaOptions).as("JAVA_TOOL_OPTIONS of %s", module).contains("-XX:MaxRAMPercentage=");
            }
        });
    }

    @Test
    void terminationGraceCoversPreStopAndGracefulShutdown() {
        Manifests.serviceDeployments().forEach((module, deployment) -> {
            ServiceModule service = ServiceModule.named(module);
            Duration phase = service.duration("spring.lifecycle.timeout-per-shutdown-phase");
            int grace = Integer.parseInt(
                    String.valueOf(Manifests.podSpec(deployment).get("terminationGracePeriodSeconds")));
            int preStop = preStopSeconds(Manifests.containers(deployment).get(0));
            assertThat(grace)
                    .as("terminationGracePeriodSeconds of %s", module)
                    .isGreaterThan(preStop + (int) phase.toSeconds());
        });
        // The gateway: endpoints removed first (preStop), then a drain of about 40 s.
        Manifest gateway = Manifests.get("Deployment", "gateway-service");
        int preStop = preStopSeconds(Manifests.containers(gateway).get(0));
        assertThat(preStop).as("the gateway's preStop sleep").isGreaterThanOrEqualTo(5);
        assertThat(Integer.parseInt(String.valueOf(Manifests.podSpec(gateway).get("terminationGracePeriodSeconds"))))
                .isGreaterThanOrEqualTo(preStop + 40);
    }

    private static int preStopSeconds(Map<String, Object> container) {
        List<Object> command = Yamls.list(Yamls.at(container, "lifecycle", "preStop", "exec", "command"));
        if (command.size() == 2 && "sleep".equals(command.get(0))) {
            return Integer.parseInt(String.valueOf(command.get(1)));
        }
        Object seconds = Yamls.at(container, "lifecycle", "preStop", "sleep", "seconds");
        return seconds == null ? 0 : Integer.parseInt(String.valueOf(seconds));
    }

    @Test
    void theGatewayScalesHorizontallyAndSurvivesDisruptions() {
        Manifest deployment = Manifests.get("Deployment", "gateway-service");
        List<Manifest> autoscalers = Manifests.ofKind("HorizontalPodAutoscaler").stream()
                .filter(h -> "gateway-service".equals(Yamls.string(h.document(), "spec", "scaleTargetRef", "name")))
                .toList();
        assertThat(autoscalers).hasSize(1);
        Manifest hpa = autoscalers.get(0);
        assertThat(Yamls.string(hpa.document(), "spec", "scaleTargetRef", "kind"))
                .isEqualTo("Deployment");
        int min = Integer.parseInt(Yamls.string(hpa.document(), "spec", "minReplicas"));
        int max = Integer.parseInt(Yamls.string(hpa.document(), "spec", "maxReplicas"));
        assertThat(min).isGreaterThanOrEqualTo(2);
        assertThat(max).isGreaterThan(min);
        assertThat(Yamls.maps(hpa.at("spec", "metrics"))).isNotEmpty();
        // The autoscaler owns the replica count: a fixed one in the Deployment would reset it on every apply.
        assertThat(deployment.at("spec", "replicas")).isNull();

        List<Manifest> budgets = Manifests.ofKind("PodDisruptionBudget").stream()
                .filter(p -> Manifests.podLabels(deployment)
                        .entrySet()
                        .containsAll(Yamls.map(p.at("spec", "selector", "matchLabels"))
                                .entrySet()))
                .toList();
        assertThat(budgets).hasSize(1);
        Manifest pdb = budgets.get(0);
        Object maxUnavailable = pdb.at("spec", "maxUnavailable");
        Object minAvailable = pdb.at("spec", "minAvailable");
        if (maxUnavailable != null) {
            assertThat(Integer.parseInt(String.valueOf(maxUnavailable))).isBetween(1, min - 1);
        } else {
            // Otherwise a node drain could never evict a gateway.
            assertThat(Integer.parseInt(String.valueOf(minAvailable))).isLessThan(min);
        }
        // No sticky sessions anywhere: any gateway serves any client.
        assertThat(Yamls.string(Manifests.get("Service", "gateway-service").document(), "spec", "sessionAffinity"))
                .isIn(null, "None");
        for (Manifest ingress : Manifests.ofKind("Ingress")) {
            assertThat(Yamls.map(ingress.at("metadata", "annotations")).keySet())
                    .noneMatch(a -> a.contains("affinity") || a.contains("upstream-hash-by"));
        }
    }

    @Test
    void ingressRoutesLikeNginx() {
        Map<String, String> routes = Manifests.ofKind("Ingress").stream()
                .flatMap(i -> Yamls.maps(i.at("spec", "rules")).stream())
                .flatMap(r -> Yamls.maps(Yamls.at(r, "http", "paths")).stream())
                .collect(Collectors.toMap(
                        p -> Yamls.string(p, "path").replaceAll("(.)/$", "$1"),
                        p -> Yamls.string(p, "backend", "service", "name")));
        assertThat(routes)
                .containsEntry("/ws", "gateway-service")
                .containsEntry("/", "gateway-service")
                .containsEntry("/api/presence", "presence-service")
                .containsEntry("/api", "message-service");
    }

    @Test
    void theWebSocketIngressOutlivesTheGatewayKeepaliveAndLogsNoTokens() {
        ServiceModule gateway = ServiceModule.named("gateway-service");
        Duration idle = gateway.duration("chat.gateway.keepalive.idle-timeout");
        Manifest ws = Manifests.ofKind("Ingress").stream()
                .filter(i -> Yamls.maps(i.at("spec", "rules")).stream()
                        .flatMap(r -> Yamls.maps(Yamls.at(r, "http", "paths")).stream())
                        .anyMatch(p -> "/ws".equals(Yamls.string(p, "path"))))
                .findFirst()
                .orElseThrow();
        Map<String, Object> annotations = Yamls.map(ws.at("metadata", "annotations"));
        for (String timeout : List.of("proxy-read-timeout", "proxy-send-timeout")) {
            Object value = annotations.get("nginx.ingress.kubernetes.io/" + timeout);
            assertThat(value).as("%s of %s", timeout, ws).isNotNull();
            assertThat(Long.parseLong(String.valueOf(value))).as(timeout).isGreaterThan(idle.toSeconds());
        }
        assertThat(annotations).containsEntry("nginx.ingress.kubernetes.io/enable-access-log", "false");
    }

    @Test
    void allowedOriginsIncludeTheIngressHost() {
        String origins =
                Manifests.data(Manifests.get("ConfigMap", "erp-chat-gateway")).get("CHAT_GATEWAY_ALLOWED_ORIGINS");
        List<String> hosts = Manifests.ofKind("Ingress").stream()
                .flatMap(i -> Yamls.maps(i.at("spec", "rules")).stream())
                .map(r -> Yamls.string(r, "host"))
                .distinct()
                .toList();
        assertThat(hosts).isNotEmpty();
        for (String host : hosts) {
            assertThat(List.of(origins.split(","))).contains("https://" + host);
        }
    }

    @Test
    void theSecretTemplateHoldsOnlyPlaceholders() {
        List<Manifest> secrets = Manifests.ofKind("Secret");
        assertThat(secrets).isNotEmpty();
        for (Manifest secret : secrets) {
            assertThat(Repo.relative(secret.file())).isEqualTo("infra/k8s/secret.example.yaml");
            assertThat(secret.at("data"))
                    .as("%s: stringData only, so the placeholders are visible", secret)
                    .isNull();
            Manifests.data(secret).forEach((key, value) -> {
                if (key.contains("SECRET") || key.contains("PASSWORD") || key.endsWith(".pem")) {
                    assertThat(value).as("%s %s", secret, key).contains("REPLACE_ME");
                }
            });
        }
        // Too short to pass as an HS256 key (32 bytes): a forgotten placeholder stops the services from starting.
        String jwt = Manifests.data(Manifests.get("Secret", "erp-chat-jwt")).get("CHAT_SECURITY_JWT_SECRET");
        assertThat(jwt.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSizeLessThan(32);
    }

    @Test
    void everyReferencedConfigMapAndSecretIsDefined() {
        for (Manifest workload : Manifests.all()) {
            if (!List.of("Deployment", "Job").contains(workload.kind())) {
                continue;
            }
            Map<String, Object> pod = Manifests.podSpec(workload);
            for (Map<String, Object> container : Manifests.containers(workload)) {
                assertThat(Manifests.environment(container))
                        .as("environment of %s", workload)
                        .isNotNull();
            }
            for (Map<String, Object> volume : Yamls.maps(pod.get("volumes"))) {
                String configMap = Yamls.string(volume, "configMap", "name");
                String secret = Yamls.string(volume, "secret", "secretName");
                if (configMap != null) {
                    assertThat(Manifests.get("ConfigMap", configMap)).isNotNull();
                }
                if (secret != null) {
                    assertThat(Manifests.get("Secret", secret)).isNotNull();
                }
            }
        }
    }

    @Test
    void theRs256PublicKeyPathInTheTemplateIsWhereTheSecretIsMounted() {
        String template = Repo.read("infra/k8s/secret.example.yaml");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "CHAT_SECURITY_JWT_PUBLIC_KEY: \"file:(/[^\"]+)/([^/\"]+)\"")
                .matcher(template);
        assertThat(m.find()).isTrue();
        assertThat(Manifests.data(Manifests.get("Secret", "erp-chat-jwt-public-key")))
                .containsKey(m.group(2));
        Manifests.serviceDeployments()
                .forEach((module, deployment) -> assertThat(Yamls.maps(
                                Manifests.containers(deployment).get(0).get("volumeMounts")))
                        .as("%s mounts the public key", module)
                        .anySatisfy(mount -> assertThat(mount.get("mountPath")).isEqualTo(m.group(1))));
    }
}
