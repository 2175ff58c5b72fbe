package org.erpchat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.erpchat.gateway.support.Backends;
import org.erpchat.gateway.support.GatewayTest;
import org.erpchat.testsupport.TestTokens;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The JavaScript client (static/js/chat-client.js) against this gateway and the real services behind it: Node runs
 * src/test/js/against-gateway.mjs, so what the client's unit tests assume of the protocol (their fixture server) is
 * checked against the real thing. Needs Node.js 20+ and npm; without them it is skipped with the reason, as the
 * client's unit tests are, unless {@code CHAT_E2E_BROWSER=required} (as {@code .ci/run} sets) makes that a failure.
 */
class JavaScriptClientEndToEndTest extends GatewayTest {

    private static final Path JS_TESTS = Path.of("src/test/js").toAbsolutePath();

    @Test
    void theClientWorksAgainstTheRealGateway() throws Exception {
        boolean nodeInstalled = onPath("node") && onPath("npm");
        if ("required".equals(System.getenv("CHAT_E2E_BROWSER"))) {
            assertThat(nodeInstalled).as("node and npm on the PATH").isTrue();
        }
        Assumptions.assumeTrue(nodeInstalled, "Node.js (node and npm) is not installed");
        long alice = newUserId();
        long bob = newUserId();
        Backends.get().provision(alice, bob);
        if (!Files.isDirectory(JS_TESTS.resolve("node_modules/ws"))) {
            assertThat(run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of()))
                    .as("npm ci")
                    .isZero();
        }

        int exit = run(
                List.of("node", "--test", "--test-reporter=spec", "against-gateway.mjs"),
                Map.of(
                        "CHAT_GATEWAY_URL", wsUri().toString(),
                        "CHAT_ALICE_ID", Long.toString(alice),
                        "CHAT_ALICE_TOKEN", TestTokens.forUser(alice),
                        "CHAT_BOB_ID", Long.toString(bob),
                        "CHAT_BOB_TOKEN", TestTokens.forUser(bob)));

        assertThat(exit)
                .as("node --test against-gateway.mjs (its output is in this test's log)")
                .isZero();
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null
                && Arrays.stream(path.split(File.pathSeparator))
                        .anyMatch(directory -> Files.isExecutable(Path.of(directory, command)));
    }

    private static int run(List<String> command, Map<String, String> environment)
            throws IOException, InterruptedException {
        File log = Files.createTempFile("js-against-gateway", ".log").toFile();
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(JS_TESTS.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log);
        builder.environment().putAll(environment);
        Process process = builder.start();
        boolean finished = process.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        System.out.println(Files.readString(log.toPath(), StandardCharsets.UTF_8));
        Files.deleteIfExists(log.toPath());
        return finished ? process.exitValue() : -1;
    }
}
