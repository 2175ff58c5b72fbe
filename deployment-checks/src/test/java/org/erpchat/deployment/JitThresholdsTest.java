package org.erpchat.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The C2 thresholds that keep run-once paths (connect, resume, close) out of the compiler in a storm
 * (docs/gateway-service.md, "The JIT and connection storms") are written in four places: the image, the Kubernetes
 * manifests (which set JAVA_TOOL_OPTIONS themselves), the stack the benchmark harness starts and the harness's
 * load-generator workers. The benchmarks measure what a deployment runs only while all four say the same.
 */
class JitThresholdsTest {

    private static final Pattern TIER4 = Pattern.compile("-XX:Tier4[A-Za-z]+=\\d+");

    @Test
    void theImageSetsTheThresholds() {
        assertThat(thresholds(Compose.dockerfileEnvironment().get("JAVA_TOOL_OPTIONS")))
                .as("the Tier4 flags of the Dockerfile's JAVA_TOOL_OPTIONS")
                .hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void everyKubernetesDeploymentSetsTheImagesThresholds() {
        List<String> image = thresholds(Compose.dockerfileEnvironment().get("JAVA_TOOL_OPTIONS"));
        Manifests.serviceDeployments()
                .forEach((module, deployment) -> Manifests.containers(deployment)
                        .forEach(container -> assertThat(thresholds(
                                        Manifests.environment(container).get("JAVA_TOOL_OPTIONS")))
                                .as("the Tier4 flags of %s's JAVA_TOOL_OPTIONS", module)
                                .isEqualTo(image)));
    }

    @Test
    void theBenchmarkStackAndItsWorkersRunWithTheImagesThresholds() {
        List<String> image = thresholds(Compose.dockerfileEnvironment().get("JAVA_TOOL_OPTIONS"));
        assertThat(thresholds(Repo.read("bench/run.sh")))
                .as("the Tier4 flags of bench/run.sh's default CHAT_SERVICE_JVM_OPTIONS")
                .isEqualTo(image);
        assertThat(thresholds(Repo.read("bench/src/main/java/org/erpchat/bench/worker/Workers.java")))
                .as("the Tier4 flags the benchmark's load-generator workers start with")
                .isEqualTo(image);
    }

    private static List<String> thresholds(String text) {
        assertThat(text).isNotNull();
        List<String> flags = new ArrayList<>();
        Matcher m = TIER4.matcher(text);
        while (m.find()) {
            flags.add(m.group());
        }
        return flags;
    }
}
