import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the JavaScript client's unit tests for Maven (exec-maven-plugin, integration-test phase of gateway-service):
 * {@code npm ci}, then {@code node --test}, in this directory. Started as a single-file Java program
 * ({@code java RunNodeTests.java}) so that it works wherever Maven does. When Node.js is not installed the tests are
 * skipped with a message, so a developer without Node can still run {@code ./mvnw verify}; CI has Node.
 */
public class RunNodeTests {

    public static void main(String[] args) throws Exception {
        boolean windows = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("win");
        File node = onPath(windows ? "node.exe" : "node");
        File npm = onPath(windows ? "npm.cmd" : "npm");
        if (node == null || npm == null) {
            System.out.println("[js-client-tests] SKIPPED: Node.js (node and npm) is not installed, so the JavaScript "
                    + "client's unit tests did not run. Install Node.js 20+ to run them.");
            return;
        }
        int installed = run(List.of(npm.getPath(), "ci", "--no-audit", "--no-fund"));
        if (installed != 0) {
            System.err.println("[js-client-tests] npm ci failed with exit code " + installed);
            System.exit(installed);
        }
        List<String> test = new ArrayList<>(List.of(node.getPath(), "--test", "--test-reporter=spec"));
        int result = run(test);
        if (result != 0) {
            System.err.println("[js-client-tests] node --test failed with exit code " + result);
        }
        System.exit(result);
    }

    private static int run(List<String> command) throws IOException, InterruptedException {
        System.out.println("[js-client-tests] " + String.join(" ", command));
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    private static File onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String directory : path.split(File.pathSeparator)) {
            File candidate = new File(directory, name);
            if (candidate.isFile() && candidate.canExecute()) {
                return candidate;
            }
        }
        return null;
    }
}
