package org.erpchat.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The JVM options the benchmarks' figures depend on are written in four places: the image, the Kubernetes manifests
 * (which set JAVA_TOOL_OPTIONS themselves), the stack the benchmark harness starts and the harness's load-generator
 * workers. The benchmarks measure what a deployment runs only while the first three say the same:
 * <ul>
 *   <li>the C2 thresholds that keep run-once paths (connect, resume, close) out of the compiler in a storm
 *       (docs/gateway-service.md, "The JIT and connection storms"), in the image, the manifests and the benchmark's
 *       stack; the load-generator workers, which are not the system, compile with C1 only, so that they leave the
 *       servers as much of the shared cores as they can (docs/benchmarks.md section 7, step 24);
 *   <li>no class unloading in G1's remark pause (docs/gateway-service.md, "The heap and GC pauses"), in the
 *       services: the image, the manifests and the benchmark's stack;
 *   <li>the image's AOT cache, made by a training run with the image's own options and used by its entry point
 *       (docs/gateway-service.md, "Start-up and the AOT cache").
 * </ul>
 */
class JvmOptionsTest {

    private static final Pattern TIER4 = Pattern.compile("-XX:Tier4[A-Za-z]+=\\d+");
    private static final String NO_CLASS_UNLOADING_IN_REMARK = "-XX:-ClassUnloadingWithConcurrentMark";

    @Test
    void theImageSetsTheThresholds() {
        assertThat(thresholds(imageOptions()))
                .as("the Tier4 flags of the Dockerfile's JAVA_TOOL_OPTIONS")
                .hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void theImageLeavesClassUnloadingOutOfTheRemarkPause() {
        assertThat(imageOptions()).as("the Dockerfile's JAVA_TOOL_OPTIONS").contains(NO_CLASS_UNLOADING_IN_REMARK);
    }

    @Test
    void everyKubernetesDeploymentRunsTheImagesOptions() {
        String image = imageOptions();
        Manifests.serviceDeployments()
                .forEach((module, deployment) -> Manifests.containers(deployment)
                        .forEach(container -> assertThat(
                                        Manifests.environment(container).get("JAVA_TOOL_OPTIONS"))
                                .as("%s's JAVA_TOOL_OPTIONS", module)
                                .isEqualTo(image)));
    }

    @Test
    void theBenchmarkStackRunsTheImagesGcOptionAndThresholds() {
        String stack = Repo.read("bench/run.sh");
        assertThat(thresholds(stack))
                .as("the Tier4 flags of bench/run.sh's default CHAT_SERVICE_JVM_OPTIONS")
                .isEqualTo(thresholds(imageOptions()));
        assertThat(stack).as("bench/run.sh's default CHAT_SERVICE_JVM_OPTIONS").contains(NO_CLASS_UNLOADING_IN_REMARK);
    }

    @Test
    void theBenchmarksWorkersCompileWithTheQuickCompilerOnly() {
        String workers = Repo.read("bench/src/main/java/org/erpchat/bench/worker/Workers.java");
        assertThat(workers)
                .as("the options the benchmark's load-generator workers start with")
                .contains("\"-XX:TieredStopAtLevel=1\"");
        assertThat(thresholds(workers))
                .as("Tier4 flags, which mean nothing without C2, in the workers' options")
                .isEmpty();
    }

    @Test
    void theImageStartsFromTheAotCacheItsTrainingRunMadeWithTheSameOptions() {
        String dockerfile = Repo.read(Compose.DOCKERFILE).replace("\\\n", " ");
        String runtime = dockerfile.substring(dockerfile.lastIndexOf("\nFROM ") + 1);
        assertThat(runtime)
                .as("the runtime stage's base image: the AOT cache needs Java 25 or later")
                .containsPattern("^FROM eclipse-temurin:(2[5-9]|[3-9][0-9])-jre\\b");
        int options = runtime.indexOf("\nENV JAVA_TOOL_OPTIONS=");
        int training = runtime.indexOf("-XX:AOTCacheOutput=app.aot");
        assertThat(options).as("the runtime stage sets JAVA_TOOL_OPTIONS").isPositive();
        assertThat(training)
                .as(
                        "the training run comes after JAVA_TOOL_OPTIONS, so the cache is made with the options it is used with")
                .isGreaterThan(options);
        assertThat(runtime).contains("-Dspring.context.exit=onRefresh");
        Matcher entrypoint = Pattern.compile("(?m)^ENTRYPOINT (.*)$").matcher(runtime);
        assertThat(entrypoint.find()).as("the runtime stage's ENTRYPOINT").isTrue();
        assertThat(entrypoint.group(1)).isEqualTo("[\"java\", \"-XX:AOTCache=app.aot\", \"-jar\", \"app.jar\"]");
    }

    private static String imageOptions() {
        String options = Compose.dockerfileEnvironment().get("JAVA_TOOL_OPTIONS");
        assertThat(options).as("the Dockerfile's JAVA_TOOL_OPTIONS").isNotNull();
        return options;
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
