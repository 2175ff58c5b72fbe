package org.erpchat.deployment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Kubernetes manifests under infra/k8s, every document of every file. */
final class Manifests {

    static final Path DIR = Repo.path("infra/k8s");
    static final String NAMESPACE = "erp-chat";

    /** One Kubernetes object and the file it is in. */
    record Manifest(Path file, Map<String, Object> document) {

        String kind() {
            return Yamls.string(document, "kind");
        }

        String name() {
            return Yamls.string(document, "metadata", "name");
        }

        String namespace() {
            return Yamls.string(document, "metadata", "namespace");
        }

        Object at(String... path) {
            return Yamls.at(document, path);
        }

        @Override
        public String toString() {
            return kind() + " " + name() + " (" + Repo.relative(file) + ")";
        }
    }

    private Manifests() {}

    static List<Path> files() {
        return Repo.files(DIR, ".yaml").stream()
                .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
                .toList();
    }

    static List<Manifest> all() {
        List<Manifest> manifests = new ArrayList<>();
        for (Path file : files()) {
            for (Map<String, Object> document : Yamls.loadAll(file)) {
                manifests.add(new Manifest(file, document));
            }
        }
        return manifests;
    }

    static List<Manifest> ofKind(String kind) {
        return all().stream().filter(m -> kind.equals(m.kind())).toList();
    }

    static Manifest get(String kind, String name) {
        return all().stream()
                .filter(m -> kind.equals(m.kind()) && name.equals(m.name()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("infra/k8s has no " + kind + " " + name));
    }

    /** The workloads that run images built from this repository ({@code erp-chat/<module>}), by module name. */
    static Map<String, Manifest> serviceDeployments() {
        Map<String, Manifest> deployments = new LinkedHashMap<>();
        for (Manifest deployment : ofKind("Deployment")) {
            for (Map<String, Object> container : containers(deployment)) {
                String module = moduleOfImage(Yamls.string(container, "image"));
                if (module != null) {
                    deployments.put(module, deployment);
                }
            }
        }
        return deployments;
    }

    /** {@code erp-chat/gateway-service:latest} is module gateway-service; other images are not ours. */
    static String moduleOfImage(String image) {
        if (image == null || !image.startsWith("erp-chat/")) {
            return null;
        }
        String rest = image.substring("erp-chat/".length());
        int colon = rest.indexOf(':');
        return colon < 0 ? rest : rest.substring(0, colon);
    }

    static List<Map<String, Object>> containers(Manifest workload) {
        return Yamls.maps(podSpec(workload).get("containers"));
    }

    static Map<String, Object> podSpec(Manifest workload) {
        return Yamls.map(workload.at("spec", "template", "spec"));
    }

    static Map<String, Object> podLabels(Manifest workload) {
        return Yamls.map(workload.at("spec", "template", "metadata", "labels"));
    }

    /** Keys of a ConfigMap's or Secret's data and stringData. */
    static Map<String, String> data(Manifest configMapOrSecret) {
        Map<String, String> data = new LinkedHashMap<>();
        for (String field : List.of("data", "stringData")) {
            Yamls.map(configMapOrSecret.at(field)).forEach((k, v) -> data.put(k, v == null ? null : String.valueOf(v)));
        }
        return data;
    }

    /** The container's environment: explicit {@code env} entries and every key of its {@code envFrom} sources. */
    static Map<String, String> environment(Map<String, Object> container) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (Map<String, Object> from : Yamls.maps(container.get("envFrom"))) {
            String kind = from.containsKey("configMapRef") ? "ConfigMap" : "Secret";
            Map<String, Object> ref = Yamls.map(from.getOrDefault("configMapRef", from.get("secretRef")));
            String prefix = Yamls.string(from, "prefix");
            data(get(kind, String.valueOf(ref.get("name"))))
                    .forEach((k, v) -> environment.put(prefix == null ? k : prefix + k, v));
        }
        for (Map<String, Object> env : Yamls.maps(container.get("env"))) {
            environment.put(String.valueOf(env.get("name")), valueOf(env));
        }
        return environment;
    }

    private static String valueOf(Map<String, Object> env) {
        if (env.containsKey("value")) {
            return String.valueOf(env.get("value"));
        }
        Map<String, Object> from = Yamls.map(env.get("valueFrom"));
        for (String kind : List.of("configMapKeyRef", "secretKeyRef")) {
            if (from.containsKey(kind)) {
                Map<String, Object> ref = Yamls.map(from.get(kind));
                Manifest source =
                        get(kind.startsWith("configMap") ? "ConfigMap" : "Secret", String.valueOf(ref.get("name")));
                String key = String.valueOf(ref.get("key"));
                if (!data(source).containsKey(key)) {
                    throw new AssertionError(source + " has no key " + key);
                }
                return data(source).get(key);
            }
        }
        return null;
    }

    /** A container port by name or number, resolved to its number. */
    static int containerPort(Map<String, Object> container, Object port) {
        for (Map<String, Object> declared : Yamls.maps(container.get("ports"))) {
            if (String.valueOf(port).equals(String.valueOf(declared.get("name")))
                    || String.valueOf(port).equals(String.valueOf(declared.get("containerPort")))) {
                return Integer.parseInt(String.valueOf(declared.get("containerPort")));
            }
        }
        throw new AssertionError("container " + container.get("name") + " declares no port " + port);
    }
}
