package org.erpchat.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web app in a real browser: starts the whole stack (embedded Kafka, PostgreSQL and Redis, the three services as
 * processes, the development token issuer) on free ports, then runs {@code src/test/browser/chat.e2e.mjs} with Node in
 * headless Chromium (Debian's {@code chromium}, driven by playwright-core; no browser is ever downloaded). Screenshots
 * are kept in {@code target/browser-artifacts}.
 *
 * <p>Without Chromium, Node or the npm packages this test is skipped with the reason, unless the environment variable
 * {@code CHAT_E2E_BROWSER=required} is set (CI sets it), in which case it fails.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class BrowserEndToEndTest {

    private static final boolean REQUIRED = "required".equalsIgnoreCase(System.getenv("CHAT_E2E_BROWSER"));

    @TempDir
    Path work;

    @Test
    void twoUsersGroupsAndReconnectsInHeadlessChromium() throws Exception {
        Path browserDir = Path.of(System.getProperty("chat.test.browser-dir", "src/test/browser"))
                .toAbsolutePath();
        Path artifacts = Path.of(System.getProperty("chat.test.artifacts-dir", "target/browser-artifacts"))
                .toAbsolutePath();
        String chromium = System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium");
        File node = onPath("node");
        File npm = onPath("npm");
        require(
                new File(chromium).canExecute(),
                "Chromium is not installed at " + chromium
                        + " (Debian: apt-get install -y chromium; or set CHROMIUM_PATH)");
        require(node != null && npm != null, "Node.js 20+ (node and npm) is not on the PATH");

        Path npmLog = Files.createDirectories(artifacts).resolve("npm-ci.log");
        int installed = run(List.of(npm.getPath(), "ci", "--no-audit", "--no-fund"), browserDir, Map.of(), npmLog);
        require(installed == 0, "npm ci failed in " + browserDir + " (no registry access?); see " + npmLog);

        try (Stream<Path> old = Files.list(artifacts)) {
            old.filter(p -> p.toString().endsWith(".png"))
                    .forEach(p -> p.toFile().delete());
        }
        Path log = artifacts.resolve("browser-tests.log");
        LocalStackSettings settings = TestStacks.settings(work.resolve("data"));
        try (LocalStack stack = new LocalStack(settings)) {
            TestStacks.start(stack, settings);
            Path tmp = Files.createDirectories(work.resolve("tmp")); // Chromium's fresh user-data dir goes here
            int exit = run(
                    List.of(node.getPath(), "--test-reporter=spec", "chat.e2e.mjs"),
                    browserDir,
                    Map.of(
                            "CHAT_WEB_URL",
                            stack.gatewayUrl() + "/",
                            "CHAT_MESSAGE_URL",
                            stack.messageServiceUrl(),
                            "CHAT_ARTIFACTS_DIR",
                            artifacts.toString(),
                            "CHROMIUM_PATH",
                            chromium,
                            "CHAT_USER_BASE",
                            "1000",
                            "TMPDIR",
                            tmp.toString()),
                    log);
            String output = Files.readString(log, StandardCharsets.UTF_8);
            System.out.println(output);
            assertThat(exit).as("browser tests (%s):%n%s", log, output).isZero();
            assertThat(output).contains("pass 4", "fail 0");
        } finally {
            keepServiceLogs(settings.dataDir().resolve("logs"));
        }
        try (Stream<Path> shots = Files.list(artifacts)) {
            assertThat(shots.map(p -> p.getFileName().toString()))
                    .as("screenshots in %s", artifacts)
                    .contains(
                            "1-alice-chat.png",
                            "2-group-member-view.png",
                            "2-outsider-view.png",
                            "3-receiver-offline.png",
                            "3-receiver-after-reconnect.png");
        }
    }

    /**
     * The services' logs outlive the test's data directory in {@code target/backend-logs}, where CI prints their
     * errors when a build fails: a browser scenario that fails is explained by what the services logged meanwhile.
     */
    private static void keepServiceLogs(Path logs) throws IOException {
        Path kept = Files.createDirectories(Path.of("target", "backend-logs"));
        for (String module : TestStacks.SERVICES) {
            Path log = logs.resolve(module + ".log");
            if (Files.isRegularFile(log)) {
                Files.copy(log, kept.resolve(module + ".log"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void require(boolean condition, String what) {
        if (condition) {
            return;
        }
        if (REQUIRED) {
            fail(what + ", and CHAT_E2E_BROWSER=required");
        }
        Assumptions.abort("Browser tests skipped: " + what + ". Set CHAT_E2E_BROWSER=required to make this a failure.");
    }

    private static int run(List<String> command, Path directory, Map<String, String> env, Path output)
            throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            if (!process.waitFor(15, TimeUnit.MINUTES)) {
                fail(String.join(" ", command) + " did not finish within 15 minutes; see " + output);
            }
            return process.exitValue();
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static File onPath(String name) {
        boolean windows = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("win");
        String file = windows ? name + (name.equals("npm") ? ".cmd" : ".exe") : name;
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File candidate = new File(directory, file);
            if (candidate.isFile() && candidate.canExecute()) {
                return candidate;
            }
        }
        return null;
    }
}
