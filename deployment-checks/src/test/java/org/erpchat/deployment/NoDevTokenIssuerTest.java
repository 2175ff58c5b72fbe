package org.erpchat.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The development token issuer lives only in the local-stack module: nothing compose or Kubernetes runs can start or
 * enable it.
 */
class NoDevTokenIssuerTest {

    private static final Pattern MENTION = Pattern.compile("(?i)dev[-_. ]?tokens?|local[-_ ]?stack");

    private static List<Path> deploymentFiles() {
        List<Path> files = new ArrayList<>(Manifests.files());
        files.add(Manifests.DIR.resolve("kustomization.yaml"));
        files.add(Compose.FILE);
        files.add(Compose.DOCKERFILE);
        files.add(Repo.path(".env.example"));
        files.add(Repo.path("infra/nginx/nginx.conf"));
        files.addAll(Repo.files(Repo.path("infra/kafka"), ""));
        return files;
    }

    @Test
    void noDeploymentFileMentionsIt() {
        List<String> mentions = new ArrayList<>();
        for (Path file : deploymentFiles()) {
            Matcher m = MENTION.matcher(Repo.read(file));
            while (m.find()) {
                mentions.add(Repo.relative(file) + ": " + m.group());
            }
        }
        assertThat(mentions).isEmpty();
    }

    @Test
    void noDeploymentSetsWhatTheLocalLauncherUsesToEnableIt() {
        // What local-stack passes to the services to switch on development features: its profile and any
        // dev-token property. Read from its sources, so a new one is caught here too.
        Set<String> forbidden = new LinkedHashSet<>();
        Pattern property = Pattern.compile("\"((?:chat|spring)\\.[a-z0-9.\\-]*dev[a-z0-9.\\-]*)\"");
        for (Path source : Repo.files(Repo.path("local-stack/src/main/java"), ".java")) {
            Matcher m = property.matcher(Repo.read(source));
            while (m.find()) {
                forbidden.addAll(ServiceModule.environmentForms(m.group(1)));
            }
        }
        forbidden.addAll(ServiceModule.environmentForms("spring.profiles.active"));
        forbidden.addAll(ServiceModule.environmentForms("spring.profiles.include"));
        assertThat(forbidden).contains("CHAT_GATEWAY_WEB_DEV_TOKEN_URL", "SPRING_PROFILES_ACTIVE");

        Compose.services()
                .forEach((name, service) -> assertThat(
                                Compose.environment(service).keySet())
                        .as("docker-compose.yml %s", name)
                        .doesNotContainAnyElementsOf(forbidden));
        for (Manifests.Manifest workload : Manifests.all()) {
            if (workload.kind().equals("Deployment") || workload.kind().equals("Job")) {
                for (Map<String, Object> container : Manifests.containers(workload)) {
                    assertThat(Manifests.environment(container).keySet())
                            .as("%s", workload)
                            .doesNotContainAnyElementsOf(forbidden);
                }
            }
        }
        assertThat(Compose.dockerfileEnvironment().keySet()).doesNotContainAnyElementsOf(forbidden);
    }

    @Test
    void theLocalLauncherIsNeitherBuiltNorDeployed() {
        assertThat(ServiceModule.all()).doesNotContainKey("local-stack");
        assertThat(Compose.builtServices()).doesNotContainKey("local-stack");
        assertThat(Manifests.serviceDeployments()).doesNotContainKey("local-stack");
        // And no service depends on it, so its token issuer cannot be in a service's image.
        for (String service : ServiceModule.all().keySet()) {
            assertThat(ServiceModule.projectDependencies(service)).as(service).doesNotContain("local-stack");
        }
    }
}
