package org.erpchat.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalStackSettingsTest {

    private static final Path ROOT = Path.of("/repo");

    @Test
    void eachServiceGetsItsOwnFilesWhereTheOptionsSayService() {
        LocalStackSettings settings = LocalStackSettings.fromEnvironment(
                ROOT,
                Map.of(
                        "CHAT_SERVICE_JVM_OPTIONS",
                        "  -XX:+UseG1GC   -XX:CompileCommandFile=/repo/infra/jvm/{service}.compile-commands "));

        assertThat(settings.jvmOptionsOf("message-service"))
                .containsExactly(
                        "-XX:+UseG1GC", "-XX:CompileCommandFile=/repo/infra/jvm/message-service.compile-commands");
        assertThat(settings.jvmOptionsOf("gateway-service"))
                .containsExactly(
                        "-XX:+UseG1GC", "-XX:CompileCommandFile=/repo/infra/jvm/gateway-service.compile-commands");
    }

    @Test
    void withoutOptionsTheServicesStartFastAndSmall() {
        LocalStackSettings settings = LocalStackSettings.fromEnvironment(ROOT, Map.of());

        assertThat(settings.jvmOptionsOf("presence-service"))
                .containsExactly("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    }
}
