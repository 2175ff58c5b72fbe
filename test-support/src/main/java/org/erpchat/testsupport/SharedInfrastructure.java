package org.erpchat.testsupport;

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

    private static volatile ChatInfrastructure instance;

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

    private static ChatInfrastructure start() {
        long started = System.nanoTime();
        ChatInfrastructure infrastructure;
        if (usesContainers()) {
            ContainerChatInfrastructure containers = new ContainerChatInfrastructure();
            containers.start();
            Runtime.getRuntime().addShutdownHook(new Thread(containers::shutdown, "test-infra-shutdown"));
            infrastructure = containers;
        } else {
            EmbeddedChatInfrastructure embedded = new EmbeddedChatInfrastructure();
            embedded.start();
            Runtime.getRuntime().addShutdownHook(new Thread(embedded::shutdown, "test-infra-shutdown"));
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
