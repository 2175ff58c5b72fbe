package org.erpchat.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the choice of servers for every test in this repository and starts them once per test JVM.
 *
 * <p>The choice follows {@code ERPCHAT_TEST_INFRA} (environment) or {@code erpchat.test.infra} (system property):
 * {@code containers} uses Testcontainers, {@code embedded} uses embedded real servers, and {@code auto} (the default)
 * uses Testcontainers when a Docker engine answers and embedded servers otherwise. Either way the servers are real;
 * nothing is mocked.
 */
public final class SharedInfrastructure {

    private static final Logger log = LoggerFactory.getLogger(SharedInfrastructure.class);

    private static final int EMBEDDED_START_ATTEMPTS = 3;

    private static volatile ChatInfrastructure instance;

    /** Run, newest first, before the servers stop: processes that use the servers must go before them. */
    private static final List<Runnable> BEFORE_SHUTDOWN = new ArrayList<>();

    private SharedInfrastructure() {}

    public static ChatInfrastructure get() {
        ChatInfrastructure current = instance;
        if (current == null) {
            synchronized (SharedInfrastructure.class) {
                current = instance;
                if (current == null) {
                    current = start();
                    instance = current;
                }
            }
        }
        return current;
    }

    /**
     * Registers something to stop when the test JVM exits, before the servers do, such as a service process connected
     * to them (which would otherwise spend its last seconds logging lost connections).
     */
    public static void beforeShutdown(Runnable task) {
        synchronized (BEFORE_SHUTDOWN) {
            BEFORE_SHUTDOWN.add(task);
        }
    }

    private static void runBeforeShutdown() {
        List<Runnable> tasks;
        synchronized (BEFORE_SHUTDOWN) {
            tasks = new ArrayList<>(BEFORE_SHUTDOWN);
        }
        for (int i = tasks.size() - 1; i >= 0; i--) {
            try {
                tasks.get(i).run();
            } catch (RuntimeException e) {
                log.warn("A shutdown task failed", e);
            }
        }
    }

    static boolean usesContainers() {
        return switch (configuredMode()) {
            case "containers" -> true;
            case "embedded" -> false;
            case "auto" -> ContainerChatInfrastructure.dockerAvailable();
            default -> throw new IllegalStateException("erpchat.test.infra must be auto, containers or embedded");
        };
    }

    private static String configuredMode() {
        String mode = System.getProperty("erpchat.test.infra", System.getenv("ERPCHAT_TEST_INFRA"));
        return mode == null ? "auto" : mode.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Each embedded server is given a port that was free a moment before it binds it; another process can take it in
     * between. Such a start is undone and tried again on new ports rather than failing every test in the JVM.
     */
    private static EmbeddedChatInfrastructure startEmbedded() {
        RuntimeException failure = null;
        for (int attempt = 1; attempt <= EMBEDDED_START_ATTEMPTS; attempt++) {
            EmbeddedChatInfrastructure embedded = new EmbeddedChatInfrastructure();
            try {
                embedded.start();
                return embedded;
            } catch (RuntimeException e) {
                log.warn("Starting the embedded test servers failed (attempt {}): {}", attempt, e.toString());
                shutDownQuietly(embedded);
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        throw failure;
    }

    private static void shutDownQuietly(EmbeddedChatInfrastructure embedded) {
        try {
            embedded.shutdown();
        } catch (RuntimeException e) {
            log.warn("Could not stop the half-started test servers: {}", e.toString());
        }
    }

    private static ChatInfrastructure start() {
        long started = System.nanoTime();
        ChatInfrastructure infrastructure;
        if (usesContainers()) {
            ContainerChatInfrastructure containers = new ContainerChatInfrastructure();
            containers.start();
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                runBeforeShutdown();
                                containers.shutdown();
                            },
                            "test-infra-shutdown"));
            infrastructure = containers;
        } else {
            EmbeddedChatInfrastructure embedded = startEmbedded();
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                runBeforeShutdown();
                                embedded.shutdown();
                            },
                            "test-infra-shutdown"));
            infrastructure = embedded;
        }
        log.info(
                "Test servers ({}) ready in {} ms: postgres {}, kafka {}, redis {}:{}",
                infrastructure.kind(),
                (System.nanoTime() - started) / 1_000_000,
                infrastructure.jdbcUrl(),
                infrastructure.kafkaBootstrapServers(),
                infrastructure.redisHost(),
                infrastructure.redisPort());
        return infrastructure;
    }
}
