package org.erpchat.infra.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft broker ({@link KraftBroker}) in an operating-system process of its own, started with the
 * current JVM's class path. Besides a clean {@link #stop()} and {@link #start()} (data and ports kept) it can be
 * {@linkplain #freeze() frozen} with SIGSTOP and {@linkplain #thaw() thawed} with SIGCONT: the broker keeps its TCP
 * connections but answers nothing, which is what a hung or paused broker looks like to its clients, and what a broker
 * stopped cleanly (connections refused at once) does not show.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaBrokerProcess.class);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final Path logFile;
    private Process process;
    private boolean frozen;

    /**
     * @param dataDir the broker's data directory (formatted on first start, reused afterwards)
     * @param port the client port, 0 for any free port
     */
    public KafkaBrokerProcess(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = FreePort.orFree(port);
        this.controllerPort = FreePort.find();
        this.logFile = dataDir.resolveSibling(dataDir.getFileName() + ".log");
    }

    public synchronized KafkaBrokerProcess start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        try {
            Files.createDirectories(dataDir);
            // The class path can be long; an argument file keeps it off the command line.
            Path arguments = dataDir.resolveSibling(dataDir.getFileName() + ".args");
            Files.write(
                    arguments, List.of("-cp", quoted(System.getProperty("java.class.path"))), StandardCharsets.UTF_8);
            long logStart = Files.exists(logFile) ? Files.size(logFile) : 0;
            process = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Xmx512m",
                            "-XX:+UseSerialGC",
                            "-XX:TieredStopAtLevel=1",
                            "-Xshare:off",
                            "@" + arguments,
                            KraftBrokerMain.class.getName(),
                            dataDir.toString(),
                            Integer.toString(port),
                            Integer.toString(controllerPort))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            frozen = false;
            awaitReady(logStart);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the Kafka broker process", e);
        }
        log.info("Kafka broker process {} listening on {}, log {}", process.pid(), bootstrapServers(), logFile);
        return this;
    }

    /** Stops the broker as a clean process shutdown would (SIGTERM); {@link #start()} brings it back with its data. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        if (frozen) {
            thaw();
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                log.warn("Kafka broker process {} did not stop in time; killing it", process.pid());
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    /** Freezes the broker (SIGSTOP): connections stay open, nothing is answered, no timer of the broker runs. */
    public synchronized void freeze() {
        signal("STOP");
        frozen = true;
    }

    /** Lets a frozen broker run on (SIGCONT), as a paused process or VM that resumes. */
    public synchronized void thaw() {
        signal("CONT");
        frozen = false;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public Path logFile() {
        return logFile;
    }

    @Override
    public void close() {
        stop();
    }

    private void signal(String name) {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("the Kafka broker process is not running");
        }
        Signals.send(name, process.pid());
    }

    private void awaitReady(long logStart) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (readLogFrom(logStart).contains(KraftBrokerMain.READY)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the Kafka broker process exited with code " + process.exitValue()
                        + "; the end of " + logFile + ":\n" + tail(readLogFrom(logStart)));
            }
            try {
                // Waiting for another process to print a line: there is nothing to wait on but time.
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("the Kafka broker process did not start within " + START_TIMEOUT
                + "; the end of " + logFile + ":\n" + tail(readLogFrom(logStart)));
    }

    private String readLogFrom(long offset) throws IOException {
        if (!Files.exists(logFile)) {
            return "";
        }
        byte[] all = Files.readAllBytes(logFile);
        int from = (int) Math.min(offset, all.length);
        return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    }

    private static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
