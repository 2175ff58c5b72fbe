package org.erpchat.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.erpchat.deployment.Manifests.Manifest;
import org.junit.jupiter.api.Test;

/** The compose file and every manifest parse, and every Kubernetes object is complete and in the namespace. */
class DeploymentFilesParseTest {

    @Test
    void composeFileParsesWithServicesAndVolumes() {
        Map<String, Object> compose = Compose.root();
        assertThat(Yamls.map(compose.get("services"))).isNotEmpty();
        // Every named volume a service mounts is declared.
        Set<String> declared = Yamls.map(compose.get("volumes")).keySet();
        Compose.services().forEach((name, service) -> {
            for (Object volume : Yamls.list(service.get("volumes"))) {
                String source = String.valueOf(volume).split(":")[0];
                if (!source.startsWith(".") && !source.startsWith("/")) {
                    assertThat(declared)
                            .as("volume %s of compose service %s", source, name)
                            .contains(source);
                } else {
                    assertThat(Repo.path(source))
                            .as("bind mount %s of compose service %s", source, name)
                            .exists();
                }
            }
        });
    }

    @Test
    void everyManifestParsesIntoCompleteObjects() {
        assertThat(Manifests.files()).isNotEmpty();
        for (Path file : Manifests.files()) {
            assertThat(Yamls.loadAll(file)).as(Repo.relative(file)).isNotEmpty();
        }
        for (Manifest manifest : Manifests.all()) {
            assertThat(Yamls.string(manifest.document(), "apiVersion"))
                    .as("apiVersion of %s", manifest)
                    .isNotBlank();
            assertThat(manifest.kind())
                    .as("kind in %s", Repo.relative(manifest.file()))
                    .isNotBlank();
            assertThat(manifest.name()).as("metadata.name of %s", manifest).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        }
    }

    @Test
    void everyObjectLivesInTheNamespaceTheManifestsCreate() {
        assertThat(Manifests.get("Namespace", Manifests.NAMESPACE)).isNotNull();
        for (Manifest manifest : Manifests.all()) {
            if (!manifest.kind().equals("Namespace")) {
                assertThat(manifest.namespace()).as("namespace of %s", manifest).isEqualTo(Manifests.NAMESPACE);
            }
        }
    }

    @Test
    void namesAreUniquePerKind() {
        Map<String, Long> counts = Manifests.all().stream()
                .collect(Collectors.groupingBy(m -> m.kind() + "/" + m.name(), Collectors.counting()));
        assertThat(counts)
                .allSatisfy((name, count) -> assertThat(count).as(name).isEqualTo(1L));
    }

    @Test
    void kustomizationListsEveryManifestButTheSecretTemplate() {
        Map<String, Object> kustomization = Yamls.load(Manifests.DIR.resolve("kustomization.yaml"));
        assertThat(Yamls.string(kustomization, "namespace")).isEqualTo(Manifests.NAMESPACE);
        Set<String> listed = Yamls.list(kustomization.get("resources")).stream()
                .map(String::valueOf)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> files = Manifests.files().stream()
                .map(f -> f.getFileName().toString())
                .filter(f -> !f.equals("secret.example.yaml"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(listed).isEqualTo(files);
        // A deploy must never overwrite the real Secrets with the template's placeholders.
        assertThat(listed).doesNotContain("secret.example.yaml");
        // Its images entries rename images that the manifests really use.
        List<String> images = Manifests.serviceDeployments().keySet().stream()
                .map(module -> "erp-chat/" + module)
                .toList();
        assertThat(Yamls.maps(kustomization.get("images")))
                .extracting(image -> String.valueOf(image.get("name")))
                .containsExactlyInAnyOrderElementsOf(images);
    }
}
