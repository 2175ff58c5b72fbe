package org.erpchat.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.erpchat.deployment.Manifests.Manifest;
import org.junit.jupiter.api.Test;

/** Every service compose builds or Kubernetes deploys is a module of this build with a Spring Boot application. */
class ServicesExistInBuildTest {

    @Test
    void theBuildHasTheServiceModules() {
        // Guards the checks below against passing vacuously.
        assertThat(ServiceModule.all()).containsKeys("message-service", "presence-service", "gateway-service");
    }

    @Test
    void composeBuildsOnlyModulesWithASpringBootApplication() {
        Map<String, Map<String, Object>> built = Compose.builtServices();
        assertThat(built).isNotEmpty();
        built.forEach((name, service) -> {
            assertThat(ServiceModule.all())
                    .as("compose service %s is a Spring Boot module", name)
                    .containsKey(name);
            assertThat(Yamls.string(service, "build", "context"))
                    .as("build context of %s", name)
                    .isEqualTo(".");
            assertThat(Yamls.string(service, "build", "args", "SERVICE"))
                    .as("--build-arg SERVICE of %s", name)
                    .isEqualTo(name);
            assertThat(Yamls.string(service, "image"))
                    .as("image of %s", name)
                    .isEqualTo("erp-chat/" + name + ":latest");
        });
    }

    @Test
    void kubernetesDeploysOnlyModulesWithASpringBootApplication() {
        for (Manifest deployment : Manifests.ofKind("Deployment")) {
            for (Map<String, Object> container : Manifests.containers(deployment)) {
                String image = Yamls.string(container, "image");
                assertThat(image).as("image of %s", deployment).isNotBlank();
                String module = Manifests.moduleOfImage(image);
                if (image.contains("erp-chat")) {
                    assertThat(module)
                            .as("%s: images of this build are erp-chat/<module>", deployment)
                            .isNotNull();
                }
                if (module != null) {
                    assertThat(ServiceModule.all())
                            .as("%s runs %s", deployment, image)
                            .containsKey(module);
                    assertThat(deployment.name())
                            .as("Deployment running %s", image)
                            .isEqualTo(module);
                    assertThat(Yamls.string(container, "name")).isEqualTo(module);
                }
            }
        }
    }

    @Test
    void composeAndKubernetesRunEveryServiceOfTheBuild() {
        Set<String> services = new TreeSet<>(ServiceModule.all().keySet());
        assertThat(new TreeSet<>(Compose.builtServices().keySet())).isEqualTo(services);
        assertThat(new TreeSet<>(Manifests.serviceDeployments().keySet())).isEqualTo(services);
        for (String service : services) {
            assertThat(Manifests.get("Service", service)).isNotNull();
        }
    }

    @Test
    void theDockerfileBuildsExactlyTheseServices() {
        String dockerfile = Repo.read(Compose.DOCKERFILE);
        Matcher m = Pattern.compile("case \"\\$\\{SERVICE}\" in\\s*\\\\?\\s*([a-z\\-|]+)\\)")
                .matcher(dockerfile);
        assertThat(m.find())
                .as("the Dockerfile refuses any SERVICE but the services")
                .isTrue();
        assertThat(new TreeSet<>(Set.of(m.group(1).split("\\|"))))
                .isEqualTo(new TreeSet<>(ServiceModule.all().keySet()));
        // It builds the module's executable jar (the spring-boot-maven-plugin's "exec" classifier, see the root pom).
        assertThat(dockerfile).contains("-pl \"${SERVICE}\"").contains("\"${SERVICE}\"-*-exec.jar");
        assertThat(Repo.read("pom.xml")).contains("<classifier>exec</classifier>");
        // Runs as an unprivileged user.
        assertThat(dockerfile).containsPattern("(?m)^USER [1-9][0-9]*$");
        for (String service : ServiceModule.all().keySet()) {
            assertThat(Repo.read(service + "/pom.xml")).as(service).contains("spring-boot-maven-plugin");
        }
    }
}
