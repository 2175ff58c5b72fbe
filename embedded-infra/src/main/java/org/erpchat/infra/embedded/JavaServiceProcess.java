package org.erpchat.infra.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Spring Boot service started from its executable jar as a separate operating-system process, the way it runs in
 * production. Output goes to a log file. {@link #stop()} asks it to shut down gracefully (SIGTERM, which runs Spring's
 * graceful shutdown) and kills it and any process it started if it does not exit in time.
 */
public final class JavaServiceProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JavaServiceProcess.class);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static final int LOG_TAIL_LINES = 40;

    private final String name;
    private final Path jar;
    private final int port;
    private final Path logFile;
    private final List<String> jvmOptions;
    private final Map<String, String> properties;
    private final Map<String, String> environment;
    private Process process;

    /**
     * @param name a short name for logs
     * @param jar the executable jar
     * @param port the HTTP port the service will listen on (also passed as {@code server.port})
     * @param logFile where the process's stdout and stderr go
     * @param jvmOptions options for the JVM, such as {@code -Xmx256m}
     * @param properties Spring properties passed as {@code --name=value} arguments
     * @param environment extra environment variables (secrets belong here rather than on the command line)
     */
    public JavaServiceProcess(
            String name,
            Path jar,
            int port,
            Path logFile,
            List<String> jvmOptions,
            Map<String, String> properties,
            Map<String, String> environment) {
        this.name = name;
        this.jar = jar;
        this.port = port;
        this.logFile = logFile;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.properties = Map.copyOf(properties);
        this.environment = Map.copyOf(environment);
    }

    public synchronized JavaServiceProcess start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(name + ": executable jar " + jar + " not found; build it first");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.add("--server.port=" + port);
        properties.forEach((key, value) -> command.add("--" + key + "=" + value));
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": could not start " + jar, e);
        }
        log.info("{} starting (pid {}, port {}, log {})", name, process.pid(), port, logFile);
        return this;
    }

    /**
     * Waits until {@code /actuator/health/readiness} answers 200, failing early if the process exits.
     *
     * @throws IllegalStateException when the service dies or is not ready within {@code timeout}
     */
    public void awaitReady(Duration timeout) {
        URI readiness = URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue()
                        + " before it was ready; the end of " + logFile + ":\n" + logTail());
            }
            if (answersOk(readiness)) {
                log.info("{} ready on port {}", name, port);
                return;
            }
            pause(Duration.ofMillis(250));
        }
        throw new IllegalStateException(
                name + " not ready after " + timeout + "; the end of " + logFile + ":\n" + logTail());
    }

    /**
     * The last lines of the log, so that a start that failed on a build machine explains itself in the test report
     * (where the log file itself is often out of reach).
     */
    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public Path logFile() {
        return logFile;
    }

    /** Graceful stop: SIGTERM, up to 30 s for Spring's graceful shutdown, then a forced kill. */
    public void stop() {
        stop(Duration.ofSeconds(30));
    }

    public synchronized void stop(Duration grace) {
        if (process == null) {
            return;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} did not stop within {}; killing it", name, grace);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
        process = null;
    }

    /** Kills the process at once, as a crash or {@code kill -9} would. */
    public synchronized void kill() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static boolean answersOk(URI uri) {
        try {
            HttpResponse<Void> response = HTTP.send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void pause(Duration duration) {
        try {
            // Polling a readiness endpoint of another process: there is nothing to wait on but time.
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
