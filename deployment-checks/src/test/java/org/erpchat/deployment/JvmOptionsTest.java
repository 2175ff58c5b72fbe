package org.erpchat.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The JVM options the benchmarks' figures depend on are written in four places: the image, the Kubernetes manifests
 * (which set JAVA_TOOL_OPTIONS themselves), the stacks the benchmark scripts start ({@code bench/run.sh}, and
 * {@code bench/side-by-side.sh} for the comparison with the peers) and the harness's load-generator workers. The
 * benchmarks measure what a deployment runs only while the first three say the same:
 * <ul>
 *   <li>the C2 thresholds that keep run-once paths (connect, resume, close) out of the compiler in a storm
 *       (docs/gateway-service.md, "The JIT and connection storms"), in the image, the manifests and the benchmark's
 *       stack; the load-generator workers, which are not the system, compile with C1 only, so that they leave the
 *       servers as much of the shared cores as they can (docs/benchmarks.md section 7, step 24);
 *   <li>no class unloading in G1's remark pause, and a first metaspace threshold above what a service loads, so that
 *       no start pays full collections for it (docs/gateway-service.md, "The heap and GC pauses"), in the services:
 *       the image, the manifests and the benchmark's stack;
 *   <li>each service's compile commands ({@code infra/jvm/<service>.compile-commands}), which give message-service's
 *       per-message code the JVM's own thresholds back, in the image and the benchmark's stack;
 *   <li>compact object headers, in the image and the manifests only: the option exists from Java 25 on, which the image
 *       runs and the benchmark's stack need not;
 *   <li>the image's AOT cache, made by a training run with the image's own options and used by its entry point
 *       (docs/gateway-service.md, "Start-up and the AOT cache").
 * </ul>
 */
class JvmOptionsTest {

    private static final Pattern TIER4 = Pattern.compile("-XX:Tier4[A-Za-z]+=\\d+");
    private static final String NO_CLASS_UNLOADING_IN_REMARK = "-XX:-ClassUnloadingWithConcurrentMark";
    private static final Pattern METASPACE_SIZE = Pattern.compile("-XX:MetaspaceSize=(\\d+)m\\b");
    private static final String COMPILE_COMMANDS = "-XX:CompileCommandFile=/app/compile-commands.txt";
    private static final String COMPACT_HEADERS = "-XX:+UseCompactObjectHeaders";

    @Test
    void theImageSetsTheThresholds() {
        assertThat(thresholds(imageOptions()))
                .as("the Tier4 flags of the Dockerfile's JAVA_TOOL_OPTIONS")
                .hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void theImageGivesEachServiceItsOwnCompileCommands() {
        assertThat(imageOptions()).as("the Dockerfile's JAVA_TOOL_OPTIONS").contains(COMPILE_COMMANDS);
        String runtime = runtimeStage();
        assertThat(runtime)
                .as("the runtime stage copies the service's file to where JAVA_TOOL_OPTIONS looks for it")
                .contains("COPY infra/jvm/${SERVICE}.compile-commands ./compile-commands.txt");
        assertThat(runtime.indexOf("COPY infra/jvm/"))
                .as("the file is there before the AOT cache's training run starts a JVM with those options")
                .isLessThan(runtime.indexOf("-XX:AOTCacheOutput=app.aot"));
    }

    @Test
    void everyServicesCompileCommandsAreOnesTheJvmReads() throws Exception {
        for (String service : Manifests.serviceDeployments().keySet()) {
            Path file = Repo.path("infra/jvm/" + service + ".compile-commands");
            assertThat(file).as("%s's compile commands", service).isRegularFile();
            String output = jvmOutputWith(file);
            // The JVM reports a line it cannot parse and starts anyway, so its output is what tells.
            assertThat(output)
                    .as("java -XX:CompileCommandFile=%s -version", file)
                    .doesNotContain("error", "Error");
            assertThat(output).as("the JVM ran").contains("version");
        }
    }

    @Test
    void messageServicesPerMessageCodeGetsTheJvmsOwnThresholds() {
        String commands = Repo.read("infra/jvm/message-service.compile-commands");
        assertThat(commands.lines().filter(line -> line.startsWith("CompileThresholdScaling,")))
                .as("the packages of a send's path, at a tenth of the image's raised thresholds")
                .contains(
                        "CompileThresholdScaling,org/erpchat/*.*,0.1",
                        "CompileThresholdScaling,org/apache/kafka/*.*,0.1",
                        "CompileThresholdScaling,org/postgresql/*.*,0.1");
    }

    @Test
    void theImageLeavesClassUnloadingOutOfTheRemarkPause() {
        assertThat(imageOptions()).as("the Dockerfile's JAVA_TOOL_OPTIONS").contains(NO_CLASS_UNLOADING_IN_REMARK);
    }

    @Test
    void theImagesFirstMetaspaceThresholdIsAboveWhatAServiceLoads() {
        // Without class unloading in the remark pause, each metaspace threshold G1 reaches is a full collection.
        Matcher size = METASPACE_SIZE.matcher(imageOptions());
        assertThat(size.find())
                .as("-XX:MetaspaceSize in the Dockerfile's JAVA_TOOL_OPTIONS")
                .isTrue();
        assertThat(Integer.parseInt(size.group(1)))
                .as("the first threshold, in MB: above the 77-110 MB the services load (docs/gateway-service.md)")
                .isGreaterThanOrEqualTo(128);
    }

    @Test
    void theImageGivesObjectsCompactHeadersWhichOnlyItsJavaKnows() {
        // 8-byte object headers (Java 25): a tenth less heap per idle session (docs/gateway-service.md, "The heap and
        // GC pauses"). Java 17 refuses to start with the option: the benchmark scripts' stacks, which may run on it,
        // are kept without it (assertRunsTheImagesGcOptionAndThresholds).
        assertThat(imageOptions()).as("the Dockerfile's JAVA_TOOL_OPTIONS").contains(COMPACT_HEADERS);
        assertThat(runtimeStage())
                .as("the runtime stage's base image: compact object headers are a product option from Java 25 on")
                .containsPattern("^FROM eclipse-temurin:(2[5-9]|[3-9][0-9])-jre\\b");
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
        assertRunsTheImagesGcOptionAndThresholds(stack, "bench/run.sh's default CHAT_SERVICE_JVM_OPTIONS");
        // In a plain assignment: inside ${CHAT_SERVICE_JVM_OPTIONS:-...} the "}" of {service} would end the default.
        assertThat(stack)
                .as("bench/run.sh's default CHAT_SERVICE_JVM_OPTIONS: each service's compile commands, as the image's")
                .containsPattern("(?m)^\\s*image_options=\"[^\"]*"
                        + "-XX:CompileCommandFile=\\$root/infra/jvm/\\{service\\}\\.compile-commands\"$");
        assertThat(stack).contains("export CHAT_SERVICE_JVM_OPTIONS=\"${CHAT_SERVICE_JVM_OPTIONS:-$image_options}\"");
    }

    @Test
    void theSideBySideStackRunsTheImagesGcOptionAndThresholds() {
        // The comparison with the peers (docs/benchmarks.md section 6) measures the gateway as a deployment runs it.
        String stack = Repo.read("bench/side-by-side.sh");
        assertRunsTheImagesGcOptionAndThresholds(stack, "bench/side-by-side.sh's CHAT_SERVICE_JVM_OPTIONS");
        assertThat(stack)
                .as("bench/side-by-side.sh's CHAT_SERVICE_JVM_OPTIONS: each service's compile commands, as the image's")
                .contains("-XX:CompileCommandFile=$root/infra/jvm/{service}.compile-commands");
    }

    /** A benchmark script's stack: the image's C2 thresholds, GC option and first metaspace threshold. */
    private static void assertRunsTheImagesGcOptionAndThresholds(String script, String options) {
        assertThat(thresholds(script)).as("the Tier4 flags of %s", options).isEqualTo(thresholds(imageOptions()));
        Matcher metaspace = METASPACE_SIZE.matcher(imageOptions());
        assertThat(metaspace.find()).isTrue();
        assertThat(script)
                .as("%s: the image's GC option and first metaspace threshold", options)
                .contains(NO_CLASS_UNLOADING_IN_REMARK, metaspace.group())
                .as("%s, for a stack on any Java from 17", options)
                .doesNotContain(COMPACT_HEADERS);
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
        String runtime = runtimeStage();
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

    /** The Dockerfile's last stage, continued lines joined. */
    private static String runtimeStage() {
        String dockerfile = Repo.read(Compose.DOCKERFILE).replace("\\\n", " ");
        return dockerfile.substring(dockerfile.lastIndexOf("\nFROM ") + 1);
    }

    /** What this JVM's {@code java} prints when started with {@code file}'s compile commands. */
    private static String jvmOutputWith(Path file) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-XX:CompileCommandFile=" + file, "-version")
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("java -version ended")
                .isTrue();
        assertThat(process.exitValue())
                .as("java -version's exit code: %s", output)
                .isZero();
        return output;
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
