package org.erpchat.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C stops everything: the launcher ({@code run-local.sh} runs {@link LocalStackMain}) is started as a process of
 * its own, gets SIGINT once it says it is running, and must leave none of the processes it started behind.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "sends SIGINT with kill")
class LocalStackStopTest {

    @TempDir
    Path dataDir;

    private Process launcher;
    private List<ProcessHandle> started = List.of();

    @AfterEach
    void killLeftovers() {
        if (launcher != null) {
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
        }
        started.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void ctrlCStopsTheWholeStackAndLeavesNoProcessBehind() throws Exception {
        LocalStackSettings settings = TestStacks.settings(dataDir);
        Path output = dataDir.resolve("launcher.out");
        launcher = startLauncher(settings, output);

        await().atMost(Duration.ofMinutes(6))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> !launcher.isAlive() || read(output).contains("Press Ctrl-C to stop."));
        assertThat(launcher.isAlive()).as("launcher output:%n%s", read(output)).isTrue();
        assertThat(read(output)).contains("Web app:          " + "http://localhost:" + settings.gatewayPort() + "/");
        started = launcher.descendants().toList();
        List<String> commands =
                started.stream().map(p -> p.info().commandLine().orElse("")).toList();
        assertThat(commands)
                .as("the launcher's child processes")
                .anySatisfy(c -> assertThat(c).contains("message-service"))
                .anySatisfy(c -> assertThat(c).contains("presence-service"))
                .anySatisfy(c -> assertThat(c).contains("gateway-service"))
                .anySatisfy(c -> assertThat(c).contains("postgres"))
                .anySatisfy(c -> assertThat(c).contains("redis"));

        int kill = new ProcessBuilder("kill", "-INT", Long.toString(launcher.pid()))
                .inheritIO()
                .start()
                .waitFor();
        assertThat(kill).isZero();

        assertThat(launcher.waitFor(3, TimeUnit.MINUTES))
                .as("the launcher exits after SIGINT; output:%n%s", read(output))
                .isTrue();
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() ->
                        assertThat(started).as("processes the launcher started").noneMatch(ProcessHandle::isAlive));
        assertThat(read(output)).contains("Stopping ERP Chat...", "Stopped.");
    }

    private static Process startLauncher(LocalStackSettings settings, Path output) throws Exception {
        List<String> command = new ArrayList<>();
        if (envResetsSignals()) {
            // A launcher started from a background job inherits SIGINT as ignored; Ctrl-C in a terminal does not.
            command.addAll(List.of("env", "--default-signal=INT"));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dchat.repository-root=" + settings.repositoryRoot());
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(LocalStackMain.class.getName());
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        env.putAll(TestStacks.environment(settings.dataDir()));
        env.put("CHAT_GATEWAY_PORT", Integer.toString(settings.gatewayPort()));
        env.put("CHAT_MESSAGE_PORT", Integer.toString(settings.messagePort()));
        env.put("CHAT_PRESENCE_PORT", Integer.toString(settings.presencePort()));
        env.put("CHAT_DEV_TOKEN_PORT", Integer.toString(settings.devTokenPort()));
        env.put("CHAT_KAFKA_PORT", Integer.toString(settings.kafkaPort()));
        env.put("CHAT_POSTGRES_PORT", Integer.toString(settings.postgresPort()));
        env.put("CHAT_REDIS_PORT", Integer.toString(settings.redisPort()));
        return builder.start();
    }

    private static boolean envResetsSignals() {
        try {
            return new File("/usr/bin/env").canExecute()
                    && new ProcessBuilder("env", "--default-signal=INT", "true")
                                    .redirectErrorStream(true)
                                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                                    .start()
                                    .waitFor()
                            == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (Exception e) {
            return "";
        }
    }
}
