package org.erpchat.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.erpchat.deployment.Manifests.Manifest;
import org.erpchat.deployment.Nginx.Directive;
import org.junit.jupiter.api.Test;

/** Every port that points at a service is that service's server.port (from its application.yml). */
class PortsTest {

    /** {@code http://gateway-service:8080}, {@code message-service:8081}: a service name and a port. */
    private static final Pattern SERVICE_ADDRESS = Pattern.compile("\\b([a-z][a-z0-9-]*-service):(\\d+)\\b");

    @Test
    void servicesListenOnDistinctPorts() {
        assertThat(ServiceModule.all().values().stream()
                        .map(ServiceModule::port)
                        .distinct())
                .hasSize(ServiceModule.all().size());
    }

    @Test
    void composeHealthchecksAskTheServicesOwnPort() {
        Compose.builtServices().forEach((name, service) -> {
            String test = String.join(
                    " ",
                    Yamls.list(Yamls.at(service, "healthcheck", "test")).stream()
                            .map(String::valueOf)
                            .toList());
            Matcher m =
                    Pattern.compile("(?:127\\.0\\.0\\.1|localhost)[:/](\\d+)").matcher(test);
            assertThat(m.find())
                    .as("healthcheck of %s names a port: %s", name, test)
                    .isTrue();
            assertThat(Integer.parseInt(m.group(1)))
                    .as("healthcheck port of %s", name)
                    .isEqualTo(ServiceModule.named(name).port());
            assertThat(test).as("healthcheck of %s", name).contains("/actuator/health/readiness");
        });
    }

    @Test
    void composeAddressesOfServicesUseTheirPorts() {
        Compose.services()
                .forEach((name, service) -> Compose.environment(service)
                        .forEach((variable, value) ->
                                assertServiceAddresses("compose " + name + " " + variable, value)));
        Compose.services()
                .forEach((name, service) -> assertThat(Yamls.at(service, "ports"))
                        .as("only nginx publishes ports; %s is reached through it", name)
                        .satisfiesAnyOf(
                                ports -> assertThat(name).isEqualTo("nginx"),
                                ports -> assertThat(ports).isNull()));
    }

    @Test
    void nginxUpstreamsUseTheServicesPorts() {
        Directive nginx = Nginx.parse(Repo.read("infra/nginx/nginx.conf"));
        List<Directive> servers =
                nginx.all("upstream").flatMap(u -> u.children("server")).toList();
        assertThat(servers).isNotEmpty();
        for (Directive server : servers) {
            Matcher m = SERVICE_ADDRESS.matcher(server.arg(0));
            assertThat(m.matches())
                    .as("upstream server %s is <service>:<port>", server.arg(0))
                    .isTrue();
            assertThat(Compose.services())
                    .as("upstream %s is a compose service", m.group(1))
                    .containsKey(m.group(1));
            assertThat(Integer.parseInt(m.group(2)))
                    .as("upstream port of %s", m.group(1))
                    .isEqualTo(ServiceModule.named(m.group(1)).port());
        }
    }

    @Test
    void deploymentContainerAndProbePortsAreTheServerPort() {
        Manifests.serviceDeployments().forEach((module, deployment) -> {
            int port = ServiceModule.named(module).port();
            Map<String, Object> container = Manifests.containers(deployment).get(0);
            assertThat(Yamls.maps(container.get("ports")))
                    .extracting(p -> Integer.parseInt(String.valueOf(p.get("containerPort"))))
                    .as("container ports of %s", module)
                    .containsExactly(port);
            for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                Object probePort = Yamls.at(container, probe, "httpGet", "port");
                assertThat(probePort).as("%s of %s", probe, module).isNotNull();
                assertThat(Manifests.containerPort(container, probePort))
                        .as("%s port of %s", probe, module)
                        .isEqualTo(port);
            }
            String scrapePort = Yamls.string(
                    deployment.document(), "spec", "template", "metadata", "annotations", "prometheus.io/port");
            if (scrapePort != null) {
                assertThat(Integer.parseInt(scrapePort))
                        .as("prometheus.io/port of %s", module)
                        .isEqualTo(port);
            }
        });
    }

    @Test
    void servicesSelectTheirPodsAndTargetTheServerPort() {
        Manifests.serviceDeployments().forEach((module, deployment) -> {
            Manifest service = Manifests.get("Service", module);
            Map<String, Object> selector = Yamls.map(service.at("spec", "selector"));
            assertThat(selector).as("selector of %s", service).isNotEmpty();
            assertThat(Manifests.podLabels(deployment))
                    .as("pods of %s match %s", deployment, service)
                    .containsAllEntriesOf(selector);
            Map<String, Object> container = Manifests.containers(deployment).get(0);
            for (Map<String, Object> port : Yamls.maps(service.at("spec", "ports"))) {
                Object target = port.getOrDefault("targetPort", port.get("port"));
                assertThat(Manifests.containerPort(container, target))
                        .as("targetPort of %s", service)
                        .isEqualTo(ServiceModule.named(module).port());
                // The Service's own port too, so http://<service>:<server.port> works inside the cluster.
                assertThat(Integer.parseInt(String.valueOf(port.get("port"))))
                        .as("port of %s", service)
                        .isEqualTo(ServiceModule.named(module).port());
            }
        });
    }

    @Test
    void ingressBackendsAreServicePorts() {
        List<Manifest> ingresses = Manifests.ofKind("Ingress");
        assertThat(ingresses).isNotEmpty();
        for (Manifest ingress : ingresses) {
            for (Map<String, Object> rule : Yamls.maps(ingress.at("spec", "rules"))) {
                for (Map<String, Object> path : Yamls.maps(Yamls.at(rule, "http", "paths"))) {
                    String service = Yamls.string(path, "backend", "service", "name");
                    Object number = Yamls.at(path, "backend", "service", "port", "number");
                    Manifest target = Manifests.get("Service", service);
                    assertThat(Yamls.maps(target.at("spec", "ports")))
                            .as("%s path %s: port %s of %s", ingress, path.get("path"), number, target)
                            .anySatisfy(p ->
                                    assertThat(String.valueOf(p.get("port"))).isEqualTo(String.valueOf(number)));
                }
            }
        }
    }

    @Test
    void kubernetesAddressesOfServicesUseTheirPorts() {
        for (String kind : List.of("ConfigMap", "Secret")) {
            for (Manifest manifest : Manifests.ofKind(kind)) {
                Manifests.data(manifest).forEach((key, value) -> {
                    Matcher m = SERVICE_ADDRESS.matcher(String.valueOf(value));
                    while (m.find()) {
                        Manifest service = Manifests.get("Service", m.group(1));
                        assertThat(Yamls.maps(service.at("spec", "ports")))
                                .as("%s %s: %s", manifest, key, value)
                                .anySatisfy(p -> assertThat(String.valueOf(p.get("port")))
                                        .isEqualTo(m.group(2)));
                        assertThat(Integer.parseInt(m.group(2)))
                                .as("%s %s", manifest, key)
                                .isEqualTo(ServiceModule.named(m.group(1)).port());
                    }
                });
            }
        }
    }

    @Test
    void noDeploymentMovesAServerPort() {
        Compose.builtServices()
                .forEach((name, service) -> assertThat(Compose.environment(service))
                        .as("compose %s", name)
                        .doesNotContainKey("SERVER_PORT"));
        Manifests.serviceDeployments()
                .forEach((module, deployment) -> assertThat(Manifests.environment(
                                Manifests.containers(deployment).get(0)))
                        .as("%s", deployment)
                        .doesNotContainKey("SERVER_PORT"));
    }

    private static void assertServiceAddresses(String where, String value) {
        if (value == null) {
            return;
        }
        Matcher m = SERVICE_ADDRESS.matcher(value);
        while (m.find()) {
            assertThat(Compose.services())
                    .as("%s names compose service %s", where, m.group(1))
                    .containsKey(m.group(1));
            assertThat(Integer.parseInt(m.group(2)))
                    .as(where)
                    .isEqualTo(ServiceModule.named(m.group(1)).port());
        }
    }
}
